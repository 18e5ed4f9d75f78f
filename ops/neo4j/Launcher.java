import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.QueryExecutionException;

/**
 * Runs an embedded Neo4j Community DBMS that serves Bolt, for local development and tests.
 *
 * <p>Usage: {@code java -cp 'lib/*:classes' Launcher --home DIR --bolt-host HOST --bolt-port PORT} with the
 * password of the {@code neo4j} user in the {@code NEO4J_PASSWORD} environment variable.
 * Prints {@code READY pid=<pid> bolt=<host>:<port>} once Bolt accepts authenticated
 * connections; SIGTERM triggers a clean shutdown through a shutdown hook. The heap is sized
 * by the caller (ops/services.py passes -Xmx768m); the page cache is capped at 256 MiB here.
 */
public final class Launcher {
    private static final long MIB = 1024L * 1024L;
    private static final String SAME_PASSWORD = "Old password and new password cannot be the same";
    private static final Duration STARTUP_TRANSACTION_TIMEOUT = Duration.ofMinutes(10);

    private Launcher() {}

    public static void main(String[] args) throws InterruptedException {
        try {
            Map<String, String> options = parseOptions(args);
            Path home = Path.of(require(options, "--home")).toAbsolutePath();
            SocketAddress bolt = new SocketAddress(
                    require(options, "--bolt-host"), Integer.parseInt(require(options, "--bolt-port")));
            String password = System.getenv("NEO4J_PASSWORD");
            if (password == null || password.isEmpty()) {
                throw new IllegalArgumentException("NEO4J_PASSWORD is not set");
            }
            DatabaseManagementService dbms = start(home, bolt);
            setPassword(dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME), password);
            System.out.printf("READY pid=%d bolt=%s%n", ProcessHandle.current().pid(), bolt);
            System.out.flush();
        } catch (Exception e) {
            System.out.println("FAILED " + e);
            e.printStackTrace(System.out);
            System.exit(1);
        }
        new CountDownLatch(1).await(); // serve until the JVM is terminated
    }

    private static DatabaseManagementService start(Path home, SocketAddress bolt) {
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, bolt)
                .setConfig(BoltConnector.advertised_address, bolt)
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, 256 * MIB)
                .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofSeconds(30))
                // On shutdown, open transactions get 2 s (default 10 s) before they are terminated.
                .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(2))
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
                .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, 16 * MIB)
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // Netty waits a 5 s quiet period per Bolt connector on shutdown; skip it so that
                // stopping (e.g. to simulate an outage in tests) takes about a second, not 11 s.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(5))
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("STOPPING");
            dbms.shutdown();
            System.out.println("STOPPED");
            System.out.flush();
        }, "neo4j-shutdown"));
        return dbms;
    }

    /**
     * Sets the neo4j user's password; a no-op (apart from the change flag) if it is already set.
     * The first query of a new JVM plans Cypher from cold, which on a loaded machine can take longer
     * than the 30 s that client transactions get, so these two run with a start-up allowance.
     */
    private static void setPassword(GraphDatabaseService system, String password) {
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PLAINTEXT PASSWORD $pw CHANGE NOT REQUIRED",
                    Map.of("pw", password), result -> null, STARTUP_TRANSACTION_TIMEOUT);
        } catch (QueryExecutionException e) {
            if (e.getMessage() == null || !e.getMessage().contains(SAME_PASSWORD)) {
                throw e;
            }
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD CHANGE NOT REQUIRED",
                    Map.of(), result -> null, STARTUP_TRANSACTION_TIMEOUT);
        }
    }

    private static Map<String, String> parseOptions(String[] args) {
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("expected --option value pairs, got " + String.join(" ", args));
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        return options;
    }

    private static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing required option " + name);
        }
        return value;
    }
}
