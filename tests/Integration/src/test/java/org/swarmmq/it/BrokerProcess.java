package org.swarmmq.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * One real SwarmMQ node: {@code java -jar swarmmq.jar -p PORT --bind 127.0.0.1 --data DIR [-c FILE]}
 * started as a child process, exactly as an operator runs it. Its stdout and stderr go to a log
 * file under the build folder (and are kept in memory, so tests can wait for a log line); on a
 * failed start the tail is part of the error.
 *
 * <p>{@link #stop()} sends SIGTERM (the node's coordinated shutdown), {@link #kill()} SIGKILL;
 * {@link #restart()} starts a new process on the same port and data folder.
 */
public final class BrokerProcess implements AutoCloseable {
    public static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final String READY = "SwarmMQ listening on";
    private static final AtomicInteger SEQ = new AtomicInteger();
    /** Processes a test forgot (or could not) close; a JVM exit must not leave them running. */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly)));
    }

    private final String name;
    private final Path dataDir;
    private final Path configFile;
    private final Path logFile;
    private List<String> extraArgs = List.of();
    private java.util.Map<String, String> environment = java.util.Map.of();
    private final List<String> lines = new ArrayList<>(); // guarded by itself
    private int port;
    private Process process;
    private Thread pump;

    private BrokerProcess(String name, Path dataDir, Path configFile, Path logFile) {
        this.name = name;
        this.dataDir = dataDir;
        this.configFile = configFile;
        this.logFile = logFile;
    }

    /** Starts a node with the defaults. */
    public static BrokerProcess start(String name) {
        return start(name, "");
    }

    /**
     * Starts a node; {@code hocon} (may be empty) is written to a file passed with {@code -c},
     * e.g. {@code "swarmmq.connect-timeout = 2s"}.
     */
    public static BrokerProcess start(String name, String hocon) {
        return start(name, hocon, List.of(), java.util.Map.of());
    }

    /** Starts a node with extra command-line flags (e.g. {@code -v}) and environment variables. */
    public static BrokerProcess start(String name, String hocon, List<String> extraArgs,
                                      java.util.Map<String, String> environment) {
        try {
            Path root = Path.of(System.getProperty("swarmmq.it.dir", "target/it"));
            Path dir = root.resolve(name + "-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet());
            Files.createDirectories(dir);
            Path config = null;
            if (!hocon.isBlank()) {
                config = dir.resolve("extra.conf");
                Files.writeString(config, hocon + "\n");
            }
            BrokerProcess b = new BrokerProcess(name, dir.resolve("data"), config, dir.resolve("broker.log"));
            b.extraArgs = List.copyOf(extraArgs);
            b.environment = java.util.Map.copyOf(environment);
            b.launchOnFreePort();
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public String tcpUri() {
        return "tcp://" + HOST + ":" + port;
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** The exit status of the process, which has ended (after {@link #stop()} or {@link #kill()}). */
    public int exitValue() {
        return process.exitValue();
    }

    /** Resident set size of the node process in KiB, from /proc (Linux). */
    public long rssKiB() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmRSS for " + pid());
    }

    /** SIGTERM, and wait until the process has ended. */
    public void stop() {
        end(false);
    }

    /** SIGKILL: the node gets no chance to flush or say goodbye. */
    public void kill() {
        end(true);
    }

    /** Stops (SIGTERM) and starts a new process on the same port with the same data folder. */
    public void restart() {
        stop();
        launch();
    }

    /** Starts the process again after {@link #stop()} or {@link #kill()}, same port and data. */
    public void startAgain() {
        if (isAlive()) throw new IllegalStateException("still running");
        launch();
    }

    /** Waits for a log line (of this run or an earlier one of this broker) containing {@code text}. */
    public String awaitLog(String text, Duration timeout) {
        return awaitLog(0, l -> l.contains(text), timeout, "a line containing '" + text + "'");
    }

    /** How many lines the node has written so far: pass it to {@link #awaitLog(int, Predicate, Duration, String)}. */
    public int mark() {
        synchronized (lines) {
            return lines.size();
        }
    }

    /** Waits for a line matching {@code match} among the lines from index {@code from} on. */
    public String awaitLog(int from, Predicate<String> match, Duration timeout, String what) {
        String line = findLog(from, match, timeout);
        if (line == null) throw new AssertionError("broker log has no " + what + " within " + timeout + tail());
        return line;
    }

    /** The first matching line from index {@code from} on, waiting up to {@code timeout}; null if none. */
    private String findLog(int from, Predicate<String> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            int seen = from;
            while (true) {
                for (; seen < lines.size(); seen++) if (match.test(lines.get(seen))) return lines.get(seen);
                long left = deadline - System.nanoTime();
                if (left <= 0) return null;
                try {
                    TimeUnit.NANOSECONDS.timedWait(lines, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }
    }

    /** The last lines of the node's output, for failure messages. */
    public String tail() {
        synchronized (lines) {
            int from = Math.max(0, lines.size() - 40);
            return "\n--- last lines of " + logFile + " ---\n" + String.join("\n", lines.subList(from, lines.size()));
        }
    }

    @Override
    public void close() {
        if (isAlive()) stop();
    }

    private void launchOnFreePort() {
        // Another process may take the free port between our probe and the node's bind; retry then.
        for (int attempt = 1; ; attempt++) {
            port = freePort();
            try {
                launch();
                return;
            } catch (AssertionError e) {
                if (attempt == 3 || !tail().contains("Address already in use")) throw e;
            }
        }
    }

    private void launch() {
        List<String> cmd = new ArrayList<>(List.of(javaBinary(),
                // Small heap so several nodes fit; C1 only and the serial GC: a test node lives
                // seconds, so start-up time matters more than peak throughput.
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-jar", jar().toString(),
                "-p", Integer.toString(port), "--bind", HOST, "--data", dataDir.toString()));
        if (configFile != null) cmd.addAll(List.of("-c", configFile.toString()));
        cmd.addAll(extraArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(environment);
        pb.directory(dataDir.getParent().toFile());
        try {
            appendToLog("### " + String.join(" ", cmd));
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LIVE.add(process);
        Process p = process;
        int from = mark(); // a restart must not be fooled by the previous run's line
        pump = new Thread(() -> pump(p), "broker-output-" + name);
        pump.setDaemon(true);
        pump.start();
        Predicate<String> ready = l -> l.startsWith(READY) && l.contains(":" + port + " ");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        // Wait in slices, so a node that exits at once (port taken, bad config) fails at once.
        while (findLog(from, ready, Duration.ofMillis(250)) == null) {
            boolean exited = !p.isAlive();
            if (exited || System.nanoTime() > deadline) {
                p.destroyForcibly();
                joinPump();
                LIVE.remove(p);
                throw new AssertionError("node '" + name + "' did not start: "
                        + (exited ? "it exited with status " + p.exitValue() : "no '" + READY + "' within " + START_TIMEOUT)
                        + tail());
            }
        }
    }

    private void joinPump() {
        try {
            pump.join(5_000); // the rest of its output
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void end(boolean forcibly) {
        Process p = process;
        if (p == null || !p.isAlive()) return;
        if (forcibly) p.destroyForcibly();
        else p.destroy(); // SIGTERM on Linux
        try {
            if (!p.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("node '" + name + "' did not end within " + STOP_TIMEOUT
                        + " of " + (forcibly ? "SIGKILL" : "SIGTERM") + tail());
            }
            joinPump();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            LIVE.remove(p);
        }
    }

    private void pump(Process p) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            for (String line; (line = r.readLine()) != null; ) {
                log.write(line);
                log.write('\n');
                log.flush();
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // The process ended under us; what was read is in the log.
        }
    }

    private void appendToLog(String line) throws IOException {
        Files.writeString(logFile, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static Path jar() {
        String jar = System.getProperty("swarmmq.jar");
        if (jar == null) throw new IllegalStateException("system property swarmmq.jar is not set (run with mvn verify)");
        Path p = Path.of(jar).normalize();
        if (!Files.isRegularFile(p)) throw new IllegalStateException("no node jar at " + p + ": build src/Node first");
        return p;
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
