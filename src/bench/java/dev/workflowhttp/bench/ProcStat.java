package dev.workflowhttp.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of another process, from Linux's {@code /proc/<pid>/stat}: user plus kernel time of all its threads
 * ({@code utime + stime}), in clock ticks of 10 ms.
 */
final class ProcStat {

    /** Clock ticks per second of {@code /proc/.../stat}: 100 on every Linux this runs on ({@code getconf CLK_TCK}). */
    static final long TICKS_PER_SECOND = 100;

    private ProcStat() {}

    static boolean available() {
        return Files.isRegularFile(Path.of("/proc/self/stat"));
    }

    /** CPU time of the process so far, in nanoseconds; -1 when it has ended or there is no {@code /proc}. */
    static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"), StandardCharsets.US_ASCII);
            // "pid (comm) state ppid ...": the name may hold spaces and parentheses, so split after its last ')'
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the name: state is field 3 of proc(5), utime field 14, stime field 15
            long ticks = Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
            return ticks * (1_000_000_000L / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU time of the process and every live descendant of it (nginx's master and its workers), in nanoseconds. */
    static long treeCpuNanos(ProcessHandle root) {
        long total = Math.max(0, cpuNanos(root.pid()));
        for (ProcessHandle child : root.descendants().toList()) {
            total += Math.max(0, cpuNanos(child.pid()));
        }
        return total;
    }
}
