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
//
// Offline import without a new JVM: when a file "import.request" appears beside the
// ready file (NUL-separated: the log file, then the arguments of `neo4j-admin database
// import full neo4j`), the DBMS is shut down, Neo4j's own importer runs in this JVM
// (org.neo4j.cli.AdminTool, home = --home), the DBMS is built again, and "import.done"
// is written: the importer's exit code and the seconds of each part. A JVM start and
// its warm-up cost more than the import of a million relationships on a busy machine.

import java.io.PrintStream;
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
import java.util.function.Supplier;

import org.neo4j.cli.AdminTool;
import org.neo4j.cli.ExecutionContext;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;
import org.neo4j.io.fs.DefaultFileSystemAbstraction;
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
        Supplier<DatabaseManagementServiceBuilder> builders = () -> {
            DatabaseManagementServiceBuilder builder = build(home, port, importDir, pageCache);
            if (plugins != null) {
                Path pluginDir = Path.of(plugins).toAbsolutePath();
                List<String> allowed = Arrays.stream(unrestricted.split(","))
                        .map(String::trim).filter(x -> !x.isEmpty()).toList();
                builder.setConfig(GraphDatabaseSettings.plugin_dir, pluginDir)
                        .setConfig(GraphDatabaseSettings.procedure_unrestricted, allowed);
            }
            return builder;
        };
        if (plugins != null) {
            log("plugins " + plugins + ", unrestricted " + unrestricted);
        }
        DatabaseManagementService dbms = null;
        try {
            dbms = builders.get().build();
        } catch (Exception e) { // e.g. port taken, or the data dir is locked by another server
            log("startup failed: " + e);
            e.printStackTrace(System.out);
            System.exit(1);
        }
        new Server(dbms, builders, home, password, readyFile).run(t0);
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
                // Each of these waits 5 s by default at every shutdown, even with no client left;
                // a local server for tests and loads is stopped often (and for every --bulk import).
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofMillis(500))
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofMillis(500))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false);
    }

    /** The running DBMS, the import requests it answers, and its clean shutdown. */
    private static final class Server {
        private final Supplier<DatabaseManagementServiceBuilder> builders;
        private final Path home;
        private final String password;
        private final Path readyFile;
        private final Path request;
        private final Path done;
        private final CountDownLatch stopped = new CountDownLatch(1);
        // Written under the lock; the shutdown hook reads it without, as System.exit may be called holding it.
        private volatile DatabaseManagementService dbms;

        Server(DatabaseManagementService dbms, Supplier<DatabaseManagementServiceBuilder> builders, Path home,
                String password, Path readyFile) {
            this.dbms = dbms;
            this.builders = builders;
            this.home = home;
            this.password = password;
            this.readyFile = readyFile;
            this.request = readyFile.resolveSibling("import.request");
            this.done = readyFile.resolveSibling("import.done");
        }

        void run(long t0) throws Exception {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                log("shutting down");
                try {
                    Files.deleteIfExists(readyFile);
                } catch (Exception ignored) {
                    // best effort
                }
                DatabaseManagementService running = dbms;
                if (running != null) {
                    running.shutdown();
                }
                log("shut down cleanly");
                stopped.countDown();
            }, "local-neo4j-shutdown"));

            Files.deleteIfExists(request);
            synchronized (this) {
                open(true);
            }
            log(String.format("ready in %.1f s", (System.nanoTime() - t0) / 1e9));

            // Import requests are looked for until the shutdown hook has run (SIGTERM / SIGINT).
            while (!stopped.await(100, TimeUnit.MILLISECONDS)) {
                if (Files.exists(request)) {
                    answer();
                }
            }
        }

        /**
         * Sets the password (at the first start only: the system database keeps it across an import),
         * waits for the default database and writes the ready file (holding the lock).
         */
        private void open(boolean first) throws Exception {
            try {
                if (first) {
                    setPassword(dbms, password);
                }
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
        }

        /** Answers one import request: shutdown, import, start again; then writes the done file. */
        private void answer() throws Exception {
            List<String> words = Arrays.asList(Files.readString(request, StandardCharsets.UTF_8).split("\0"));
            Files.delete(request);
            Path logFile = Path.of(words.get(0));
            List<String> args = new java.util.ArrayList<>(
                    List.of("database", "import", "full", "neo4j", "--overwrite-destination=true"));
            args.addAll(words.subList(1, words.size()));
            int code;
            double stop;
            double imported;
            double start;
            synchronized (this) {
                log("import requested: stopping the DBMS");
                Files.deleteIfExists(readyFile);
                long t0 = System.nanoTime();
                dbms.shutdown();
                dbms = null;
                long t1 = System.nanoTime();
                Files.createDirectories(home.resolve("conf"));
                try (PrintStream out = new PrintStream(Files.newOutputStream(logFile), true, StandardCharsets.UTF_8)) {
                    ExecutionContext context = new ExecutionContext(home, home.resolve("conf"), out, out,
                            new DefaultFileSystemAbstraction());
                    try {
                        code = AdminTool.execute(context, args.toArray(new String[0]));
                    } catch (RuntimeException e) { // reported like a failed import; the DBMS starts again
                        e.printStackTrace(out);
                        code = 70;
                    }
                }
                long t2 = System.nanoTime();
                if (code != 0) {
                    // A failed import leaves store files no database can start on; the database was
                    // replaced anyway, so it starts empty instead, and the server stays up.
                    deleteTree(home.resolve("data").resolve("databases").resolve("neo4j"));
                    deleteTree(home.resolve("data").resolve("transactions").resolve("neo4j"));
                }
                log("import exit code " + code + "; starting the DBMS again");
                try {
                    dbms = builders.get().build();
                } catch (Exception e) {
                    log("restart after the import failed: " + e);
                    e.printStackTrace(System.out);
                    System.exit(1);
                }
                open(false);
                long t3 = System.nanoTime();
                stop = (t1 - t0) / 1e9;
                imported = (t2 - t1) / 1e9;
                start = (t3 - t2) / 1e9;
            }
            String answer = String.format(java.util.Locale.ROOT, "exit %d%nstop %.1f%nimport %.1f%nstart %.1f%n",
                    code, stop, imported, start);
            Path tmp = done.resolveSibling(done.getFileName() + ".tmp");
            Files.writeString(tmp, answer, StandardCharsets.UTF_8);
            Files.move(tmp, done, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            log("import answered: " + answer.replace('\n', ' ').trim());
        }
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
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
