package org.swarmmq.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A command-line client (mosquitto_sub, python3) run as a child process, its output kept by line. */
final class ExternalProcess implements AutoCloseable {
    private final List<String> command;
    private final Process process;
    private final List<String> lines = new ArrayList<>(); // guarded by itself
    private final Thread pump;

    private ExternalProcess(List<String> command) throws IOException {
        this.command = command;
        this.process = new ProcessBuilder(command).redirectErrorStream(true).start();
        this.pump = new Thread(this::pump, "output-" + command.get(0));
        pump.setDaemon(true);
        pump.start();
    }

    static ExternalProcess start(List<String> command) {
        try {
            return new ExternalProcess(command);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        }
    }

    /** Runs to the end (at most {@code timeout}); fails with the output unless the exit status is 0. */
    static List<String> run(List<String> command, Duration timeout) {
        try (ExternalProcess p = start(command)) {
            int status = p.waitFor(timeout);
            if (status != 0) throw new AssertionError(p.describe("exit status " + status));
            return p.lines();
        }
    }

    /** The exit status; fails if the process is still running after {@code timeout}. */
    int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(describe("still running after " + timeout));
            }
            pump.join(2_000);
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Waits for an output line matching {@code match}. */
    String awaitLine(Predicate<String> match, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            int seen = 0;
            while (true) {
                for (; seen < lines.size(); seen++) if (match.test(lines.get(seen))) return lines.get(seen);
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && !pump.isAlive())) {
                    throw new AssertionError(describe("no " + what + " within " + timeout));
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lines, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }
    }

    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    String describe(String problem) {
        return String.join(" ", command) + ": " + problem + "\n--- output ---\n" + String.join("\n", lines());
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }
}
