package org.swarmmq.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A private PostgreSQL server for the cluster tests, from Debian's binaries
 * ({@code /usr/lib/postgresql/<version>/bin}; ./test installs the package): {@code initdb} into a
 * temporary folder, {@code postgres} on a free port of 127.0.0.1 with its unix socket in that
 * folder, one password user, and a fresh database per test class ({@link #createDatabase}).
 * initdb refuses to run as root, so as root the server runs as the {@code postgres} OS user (via
 * {@code runuser}), owning the folder. One server serves the whole test run ({@link #shared()}); a
 * JVM shutdown hook stops it and deletes its folder.
 */
final class PostgresServer {
    static final String USER = "swarmmq";
    static final String PASSWORD = "swarmmq-it";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresServer shared;

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgresUser;
    private Process process;

    private PostgresServer(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgresUser = "root".equals(System.getProperty("user.name"));
    }

    /** The run's server, started on first use. */
    static synchronized PostgresServer shared() {
        if (shared == null) {
            PostgresServer s = start();
            Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "postgres-stop"));
            shared = s;
        }
        return shared;
    }

    static PostgresServer start() {
        try {
            Path dir = Files.createTempDirectory("swarmmq-pg-");
            PostgresServer s = new PostgresServer(binaries(), dir, BrokerProcess.freePort());
            s.launch();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new empty database owned by {@link #USER}; returns its JDBC URL. */
    String createDatabase(String prefix) {
        String name = (prefix.replaceAll("[^a-z0-9]", "") + "_" + ProcessHandle.current().pid() + "_"
                + DATABASES.incrementAndGet()).toLowerCase();
        psql("CREATE DATABASE " + name + " OWNER " + USER);
        return jdbcUrl(name);
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    int port() {
        return port;
    }

    /** Runs SQL as the superuser over the unix socket; returns psql's output (unaligned, tuples only). */
    List<String> psql(String sql) {
        return ExternalProcess.run(List.of(bin.resolve("psql").toString(), "-h", dir.toString(), "-p",
                Integer.toString(port), "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-At", "-c", sql),
                Duration.ofSeconds(60));
    }

    private void launch() throws IOException {
        Path data = dir.resolve("data");
        if (asPostgresUser) {
            UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(dir, postgres);
        }
        ExternalProcess.run(asUser(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-sync"), START_TIMEOUT);
        ProcessBuilder pb = new ProcessBuilder(asUser(bin.resolve("postgres").toString(), "-D", data.toString(),
                "-p", Integer.toString(port), "-k", dir.toString(), "-c", "listen_addresses=127.0.0.1",
                // Test data only: no fsync (a node's SIGKILL is what the tests survive, not the OS's).
                "-c", "fsync=off", "-c", "max_connections=300"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("postgres.log").toFile());
        process = pb.start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try {
                psql("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
                return;
            } catch (AssertionError notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    stop();
                    throw new AssertionError("PostgreSQL did not start: " + notYet.getMessage(), notYet);
                }
                sleep(250);
            }
        }
    }

    /** Fast shutdown (SIGINT to the postmaster), then the folder is deleted. */
    synchronized void stop() {
        if (process == null) return;
        try {
            Path pidFile = dir.resolve("data").resolve("postmaster.pid");
            if (Files.exists(pidFile)) {
                String pid = Files.readAllLines(pidFile).get(0).trim();
                new ProcessBuilder("kill", "-INT", pid).start().waitFor(10, TimeUnit.SECONDS);
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("could not stop PostgreSQL in " + dir + " cleanly: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            process = null;
        }
    }

    private List<String> asUser(String... command) {
        List<String> cmd = new ArrayList<>();
        if (asPostgresUser) cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        cmd.addAll(List.of(command));
        return cmd;
    }

    /** The newest {@code /usr/lib/postgresql/<version>/bin} with initdb and postgres. */
    private static Path binaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) throw new IllegalStateException("no " + root + ": install postgresql (./test does)");
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("postgres")))
                    .max(Comparator.comparingInt(b -> versionOf(b.getParent())))
                    .orElseThrow(() -> new IllegalStateException("no initdb under " + root + "/<version>/bin"));
        }
    }

    private static int versionOf(Path dir) {
        try {
            return Integer.parseInt(dir.getFileName().toString().replaceAll("\\..*", ""));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
