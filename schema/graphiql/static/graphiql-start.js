// Starts GraphiQL with the explorer plugin against this page's own URL. Loaded as a file (not
// inline) so that the page's Content-Security-Policy can forbid inline scripts.
(function () {
  "use strict";

  var TOKEN_HINT = "Bearer <token from the login mutation>";
  var DEFAULT_HEADERS = JSON.stringify({ Authorization: TOKEN_HINT }, null, 2);
  var DEFAULT_QUERY = [
    "# learngraph's GraphQL API.",
    "#",
    "# 1. Sign in with the Login operation below (the README lists the demo accounts).",
    "# 2. Copy the token into the Headers pane, in place of <token from the login mutation>.",
    "# 3. Explore: the Explorer (left) builds queries from the schema, Docs describes it.",
    "",
    "mutation Login {",
    '  login(username: "your-username", password: "your-password") {',
    "    token",
    "    errors { field message code }",
    "  }",
    "}",
    "",
  ].join("\n");

  var endpoint = window.location.origin + window.location.pathname;
  var socketEndpoint = endpoint.replace(/^http/, "ws");

  // While the Authorization header still holds the hint, leave it out: the hint is no token,
  // and a request carrying it would be refused.
  function withoutHint(headers) {
    var kept = {};
    Object.keys(headers || {}).forEach(function (name) {
      var isHint = name.toLowerCase() === "authorization" && headers[name] === TOKEN_HINT;
      if (!isHint) {
        kept[name] = headers[name];
      }
    });
    return kept;
  }

  var sendToApi = GraphiQL.createFetcher({ url: endpoint, subscriptionUrl: socketEndpoint });

  function fetcher(params, options) {
    var headers = withoutHint(options && options.headers);
    return sendToApi(params, Object.assign({}, options, { headers: headers }));
  }

  var page = React.createElement(GraphiQL, {
    fetcher: fetcher,
    plugins: [GraphiQLPluginExplorer.explorerPlugin()],
    defaultQuery: DEFAULT_QUERY,
    defaultHeaders: DEFAULT_HEADERS,
    defaultEditorToolsVisibility: "headers",
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: true,
    inputValueDeprecation: true,
  });
  ReactDOM.createRoot(document.getElementById("graphiql")).render(page);
})();
