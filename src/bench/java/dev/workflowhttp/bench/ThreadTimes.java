package dev.workflowhttp.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What each of this process's threads did in a window, read from Linux's {@code /proc/self/task}: CPU time in user
 * space and in the kernel, and how often the thread went to sleep (voluntary context switches: a park, a blocking
 * read, a wait for epoll; each one is a wake-up some other thread or the kernel paid for). Threads are grouped by
 * their native name, which the JVM sets from the first 15 characters of the Java name. Empty where there is no
 * {@code /proc} (not Linux).
 */
final class ThreadTimes {

    /** Clock ticks per second of {@code /proc/.../stat}: 100 on every Linux this runs on ({@code getconf CLK_TCK}). */
    private static final double TICKS_PER_SECOND = 100;
    private static final Path TASKS = Path.of("/proc/self/task");

    /** One thread group's usage in a window. */
    record Usage(double userSeconds, double systemSeconds, long sleeps) {

        Usage plus(Usage other) {
            return new Usage(userSeconds + other.userSeconds, systemSeconds + other.systemSeconds,
                    sleeps + other.sleeps);
        }

        double cpuSeconds() {
            return userSeconds + systemSeconds;
        }
    }

    private record Sample(String group, long userTicks, long systemTicks, long sleeps) {
    }

    private final Map<Long, Sample> start;

    private ThreadTimes(Map<Long, Sample> start) {
        this.start = start;
    }

    static boolean available() {
        return Files.isDirectory(TASKS);
    }

    static ThreadTimes start() {
        return new ThreadTimes(snapshot());
    }

    /** Usage since {@link #start()}, by group; a thread that ended in between is not counted. */
    Map<String, Usage> sinceStart() {
        Map<String, Usage> byGroup = new LinkedHashMap<>();
        snapshot().forEach((tid, now) -> {
            Sample before = start.getOrDefault(tid, new Sample(now.group, 0, 0, 0));
            Usage usage = new Usage((now.userTicks - before.userTicks) / TICKS_PER_SECOND,
                    (now.systemTicks - before.systemTicks) / TICKS_PER_SECOND, now.sleeps - before.sleeps);
            byGroup.merge(now.group, usage, Usage::plus);
        });
        return byGroup;
    }

    private static Map<Long, Sample> snapshot() {
        Map<Long, Sample> samples = new HashMap<>();
        if (!available()) {
            return samples;
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                try {
                    samples.put(Long.parseLong(task.getFileName().toString()), sample(task));
                } catch (IOException | RuntimeException e) {
                    // the thread ended while it was read: it is left out of this window
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + TASKS, e);
        }
        return samples;
    }

    private static Sample sample(Path task) throws IOException {
        String stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
        // "tid (comm) state ppid ..." : the name may hold spaces and parentheses, so split after its last ')'
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        String name = stat.substring(open + 1, close);
        String[] fields = stat.substring(close + 2).split(" ");
        // after the name: state is field 3 of proc(5), utime field 14, stime field 15
        long user = Long.parseLong(fields[14 - 3]);
        long system = Long.parseLong(fields[15 - 3]);
        long sleeps = 0;
        for (String line : Files.readAllLines(task.resolve("status"), StandardCharsets.US_ASCII)) {
            if (line.startsWith("voluntary_ctxt_switches:")) {
                sleeps = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return new Sample(group(name), user, system, sleeps);
    }

    /** The role of a thread, from its native name. */
    static String group(String nativeName) {
        if (nativeName.startsWith("bench-route")) {
            return "route";
        }
        if (nativeName.startsWith("Camel (")) {
            return "continuation";
        }
        if (nativeName.startsWith("workflow-http-i")) {
            return "I/O";
        }
        if (nativeName.startsWith("workflow-http-d")) {
            return "deadline";
        }
        if (nativeName.startsWith("bench-server")) {
            return "server";
        }
        return "other";
    }
}
