// Runs graphql-http's server audit against the URL given and prints the results as JSON.
const { auditServer } = require("graphql-http");

auditServer({ url: process.argv[2] }).then((results) => {
  const summary = results.map(({ id, name, status, reason }) => ({ id, name, status, reason }));
  process.stdout.write(JSON.stringify(summary));
});
