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
 * What each thread of a process did in a window, read from Linux's {@code /proc/<pid>/task}: CPU time in user space
 * and in the kernel, and how often the thread went to sleep (voluntary context switches: a park, a blocking read, a
 * wait for epoll; each one is a wake-up some other thread or the kernel paid for). Threads are grouped by their
 * native name (the JVM sets it from the first 15 characters of the Java name) without its digits. Empty where there
 * is no {@code /proc} (not Linux).
 */
final class ThreadTimes {

    private static final double TICKS_PER_SECOND = ProcStat.TICKS_PER_SECOND;

    /** One thread group's usage in a window. */
    record Usage(double userSeconds, double systemSeconds, long sleeps) {

        Usage plus(Usage other) {
            return new Usage(
                    userSeconds + other.userSeconds, systemSeconds + other.systemSeconds, sleeps + other.sleeps);
        }

        double cpuSeconds() {
            return userSeconds + systemSeconds;
        }
    }

    private record Sample(String group, long userTicks, long systemTicks, long sleeps) {}

    private final Path tasks;
    private final Map<Long, Sample> start;

    private ThreadTimes(Path tasks) {
        this.tasks = tasks;
        this.start = snapshot(tasks);
    }

    /** Starts a window over the threads of process {@code pid}. */
    static ThreadTimes start(long pid) {
        return new ThreadTimes(Path.of("/proc", String.valueOf(pid), "task"));
    }

    /** Usage since {@link #start()}, by group; a thread that ended in between is not counted. */
    Map<String, Usage> sinceStart() {
        Map<String, Usage> byGroup = new LinkedHashMap<>();
        snapshot(tasks).forEach((tid, now) -> {
            Sample before = start.getOrDefault(tid, new Sample(now.group, 0, 0, 0));
            Usage usage = new Usage(
                    (now.userTicks - before.userTicks) / TICKS_PER_SECOND,
                    (now.systemTicks - before.systemTicks) / TICKS_PER_SECOND,
                    now.sleeps - before.sleeps);
            byGroup.merge(now.group, usage, Usage::plus);
        });
        return byGroup;
    }

    /** Every group's usage together. */
    static Usage total(Map<String, Usage> byGroup) {
        return byGroup.values().stream().reduce(new Usage(0, 0, 0), Usage::plus);
    }

    private static Map<Long, Sample> snapshot(Path tasks) {
        Map<Long, Sample> samples = new HashMap<>();
        if (!Files.isDirectory(tasks)) {
            return samples;
        }
        try (DirectoryStream<Path> all = Files.newDirectoryStream(tasks)) {
            for (Path task : all) {
                try {
                    samples.put(Long.parseLong(task.getFileName().toString()), sample(task));
                } catch (IOException | RuntimeException e) {
                    // the thread ended while it was read: it is left out of this window
                }
            }
        } catch (IOException e) {
            // the process ended: nothing to count
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

    /** A thread's group: its native name without digits ({@code vert.x-eventloo} for {@code vert.x-eventloop-0}). */
    static String group(String nativeName) {
        return nativeName.replaceAll("\\d+", "").trim();
    }
}
