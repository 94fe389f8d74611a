package dev.workflowhttp.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the figures were measured on. */
final class Machine {

    private Machine() {}

    static String cpuModel() {
        return firstMatching(Path.of("/proc/cpuinfo"), "model name", ":");
    }

    static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    static long memoryBytes() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
    }

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    static String jvm() {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
                + System.getProperty("java.vm.vendor") + ")";
    }

    static String jvmArguments() {
        return String.join(
                " ",
                ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                        .filter(a -> !a.startsWith("-Dbench.") && !a.startsWith("-Dlog4j2."))
                        .toList());
    }

    static String os() {
        return System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch");
    }

    /** The soft limit on open files, from {@code /proc/self/limits}, or -1. */
    static long openFilesLimit() {
        String line = firstMatching(Path.of("/proc/self/limits"), "Max open files", null);
        if (line == null) {
            return -1;
        }
        String[] parts = line.substring("Max open files".length()).trim().split("\\s+");
        try {
            return Long.parseLong(parts[0]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String gitCommit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(git.getInputStream().readAllBytes()).trim();
            return git.waitFor(5, TimeUnit.SECONDS) && git.exitValue() == 0 ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static String firstMatching(Path file, String prefix, String separator) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (String line : lines) {
                if (line.startsWith(prefix)) {
                    return separator == null
                            ? line
                            : line.substring(line.indexOf(separator) + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux: leave it out
        }
        return null;
    }
}
