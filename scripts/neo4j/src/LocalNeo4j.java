// Local Neo4j Community server for tests and benchmarks (used by scripts/neo4j-local).
//
// Starts an embedded Neo4j DBMS with only the Bolt connector (127.0.0.1:<port>,
// no TLS, no HTTP), authentication enabled, and the password of the built-in
// user `neo4j` set through the system database. When everything is up it writes
// a "ready" file (containing this JVM's pid); SIGTERM shuts the DBMS down cleanly.
//
// Usage (normally only via scripts/neo4j-local):
//   NEO4J_LOCAL_PASSWORD=... java -cp <neo4j jars>:<classes> LocalNeo4j \
//       --home DIR --port N --import-dir DIR --pagecache 512m --ready-file FILE \
//       [--plugins DIR --unrestricted 'gds.*']
//
// With --plugins, procedures in the jars of DIR are loaded (those jars must also be
// on the classpath, so their extensions are found) and --unrestricted names the
// procedures that may use internal APIs (Graph Data Science needs `gds.*`).

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;

public final class LocalNeo4j {
    private static final String HOST = "127.0.0.1";
    private static final String USER = "neo4j";

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = parseArgs(argv);
        Path home = Path.of(require(args, "--home")).toAbsolutePath();
        int port = Integer.parseInt(require(args, "--port"));
        Path importDir = Path.of(require(args, "--import-dir")).toAbsolutePath();
        Path readyFile = Path.of(require(args, "--ready-file")).toAbsolutePath();
        long pageCache = ByteUnit.parse(args.getOrDefault("--pagecache", "512m"));
        String plugins = args.get("--plugins");
        String unrestricted = args.getOrDefault("--unrestricted", "");
        String password = System.getenv("NEO4J_LOCAL_PASSWORD");
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("NEO4J_LOCAL_PASSWORD must be set");
        }

        Files.deleteIfExists(readyFile);
        Files.createDirectories(home);
        Files.createDirectories(importDir);
        log("pid " + ProcessHandle.current().pid() + ", home " + home + ", import dir " + importDir
                + ", bolt " + HOST + ":" + port);

        long t0 = System.nanoTime();
        DatabaseManagementService dbms = null;
        try {
            DatabaseManagementServiceBuilder builder = build(home, port, importDir, pageCache);
            if (plugins != null) {
                Path pluginDir = Path.of(plugins).toAbsolutePath();
                List<String> allowed = Arrays.stream(unrestricted.split(","))
                        .map(String::trim).filter(x -> !x.isEmpty()).toList();
                builder.setConfig(GraphDatabaseSettings.plugin_dir, pluginDir)
                        .setConfig(GraphDatabaseSettings.procedure_unrestricted, allowed);
                log("plugins " + pluginDir + ", unrestricted " + allowed);
            }
            dbms = builder.build();
        } catch (Exception e) { // e.g. port taken, or the data dir is locked by another server
            log("startup failed: " + e);
            e.printStackTrace(System.out);
            System.exit(1);
        }
        run(dbms, password, readyFile, t0);
    }

    private static DatabaseManagementServiceBuilder build(Path home, int port, Path importDir, long pageCache) {
        return new DatabaseManagementServiceBuilder(home)
                .setUserLogProvider(new Log4jLogProvider(System.out, Level.INFO))
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.auth_minimum_password_length, 1)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                .setConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress(HOST))
                .setConfig(GraphDatabaseSettings.default_advertised_address, new SocketAddress(HOST))
                .setConfig(GraphDatabaseSettings.routing_enabled, false)
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // LOAD CSV FROM 'file:///x.csv' reads <importDir>/x.csv
                .setConfig(GraphDatabaseSettings.allow_file_urls, true)
                .setConfig(GraphDatabaseSettings.load_csv_file_url_root, importDir)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(HOST, port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false);
    }

    private static void run(DatabaseManagementService dbms, String password, Path readyFile, long t0)
            throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log("shutting down");
            try {
                Files.deleteIfExists(readyFile);
            } catch (Exception ignored) {
                // best effort
            }
            dbms.shutdown();
            log("shut down cleanly");
            stopped.countDown();
        }, "local-neo4j-shutdown"));

        try {
            setPassword(dbms, password);
            GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            if (!db.isAvailable(Duration.ofMinutes(2).toMillis())) {
                throw new IllegalStateException("default database did not become available");
            }
        } catch (Exception e) {
            log("startup failed: " + e);
            e.printStackTrace(System.out);
            System.exit(1); // runs the shutdown hook, which stops the DBMS
        }

        Path tmp = readyFile.resolveSibling(readyFile.getFileName() + ".tmp");
        Files.writeString(tmp, ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, readyFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        log(String.format("ready in %.1f s", (System.nanoTime() - t0) / 1e9));

        // Park until the shutdown hook has run (SIGTERM / SIGINT).
        while (!stopped.await(1, TimeUnit.HOURS)) {
            // keep waiting
        }
    }

    /** Sets the password of `neo4j` (idempotent; also clears the "change required" flag). */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        try {
            system.executeTransactionally(
                    "ALTER USER " + USER + " SET PLAINTEXT PASSWORD $pw CHANGE NOT REQUIRED",
                    Map.of("pw", password));
            log("password for user '" + USER + "' set");
        } catch (RuntimeException e) {
            // Restart with a persistent data dir and the same password.
            if (String.valueOf(e.getMessage()).contains("cannot be the same")) {
                system.executeTransactionally("ALTER USER " + USER + " SET PASSWORD CHANGE NOT REQUIRED");
                log("password for user '" + USER + "' unchanged");
            } else {
                throw e;
            }
        }
    }

    private static Map<String, String> parseArgs(String[] argv) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
                throw new IllegalArgumentException("bad argument: " + argv[i]);
            }
            out.put(argv[i], argv[++i]);
        }
        return out;
    }

    private static String require(Map<String, String> args, String key) {
        String v = args.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing " + key);
        }
        return v;
    }

    private static void log(String msg) {
        System.out.println("[local-neo4j] " + msg);
        System.out.flush();
    }
}
