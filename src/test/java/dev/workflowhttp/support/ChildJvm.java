package dev.workflowhttp.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A class of this project run as its own JVM, on the test's classpath, its output in a log file.
 */
public final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final Path log;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static ChildJvm start(Path log, List<String> systemProperties, String mainClass, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.addAll(systemProperties);
        command.add(mainClass);
        command.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        return new ChildJvm(builder.start(), log);
    }

    /** SIGKILL: no shutdown hook, no graceful stop, nothing flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits for the JVM to end by itself; its exit code, or null if it still ran after {@code limit}. */
    public Integer waitFor(java.time.Duration limit) throws InterruptedException {
        return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    /** Sends SIGTERM and returns at once. */
    public void signalTerm() {
        process.destroy();
    }

    /** SIGTERM, then waits for the JVM to end; its exit code, or null if it still ran after {@code limit}. */
    public Integer terminate(java.time.Duration limit) throws InterruptedException {
        signalTerm();
        return waitFor(limit);
    }

    /**
     * SIGTERM, then waits for the JVM to end; if it still runs after {@code dumpAfter}, its threads are printed to its
     * log (SIGQUIT), so that a stop that hangs says where. Its exit code, or null if it still ran after {@code limit}.
     */
    public Integer terminate(java.time.Duration limit, java.time.Duration dumpAfter)
            throws InterruptedException, IOException {
        signalTerm();
        if (process.waitFor(dumpAfter.toMillis(), TimeUnit.MILLISECONDS)) {
            return process.exitValue();
        }
        printThreads();
        return waitFor(limit.minus(dumpAfter));
    }

    /** The JVM prints its threads' stacks to its output, the log (SIGQUIT: it goes on running). */
    public void printThreads() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-QUIT", Long.toString(process.pid()))
                .inheritIO()
                .start()
                .waitFor(10, TimeUnit.SECONDS);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** A graceful stop (SIGTERM), then a kill if it does not end in time. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
