package dev.workflowhttp.bench;

import java.util.concurrent.TimeUnit;

/**
 * How long and how much each part runs. The full run takes about twenty minutes on two cores (the route part starts a
 * JVM per contender and run); {@code -Dbench.quick=true} is a smoke run of every part in a few minutes, whose figures
 * are not worth quoting.
 */
record Settings(
        boolean quick,
        int rounds,
        long globalWarmupNanos,
        long warmupNanos,
        long measureNanos,
        int inFlightCalls,
        int inFlightTrickleMillis,
        int deadlineCalls,
        int deadlineTrickleMillis,
        int timerCalls,
        int allocationCalls) {

    static final int[] BODY_SIZES = {1024, 1024 * 1024};
    static final int[] CONCURRENCIES = {1, 16, 256};
    /** The pool of every contender in the throughput runs: enough for the highest concurrency. */
    static final int POOL_SIZE = 256;

    static final int IN_FLIGHT_BODY = 16 * 1024;
    static final int DEADLINE_BODY = 16 * 1024;
    static final long DEADLINE_MILLIS = 1000;
    static final int THREAD_LIMIT = 64;
    static final long RETAINED_HEAP_LIMIT = 5L * 1024 * 1024;
    static final double TARGET_VS_CAMEL_HTTP = 1.0;
    static final double TARGET_VS_RAW_ASYNC = 0.9;
    static final double TARGET_DEADLINE_P99_MILLIS = 50;

    static Settings fromSystemProperties() {
        boolean quick = Boolean.getBoolean("bench.quick");
        if (quick) {
            return new Settings(true, 1, millis(1500), millis(300), millis(1000), 200, 2000, 100, 2000, 5_000, 2_000);
        }
        int rounds = Integer.getInteger("bench.rounds", 5);
        return new Settings(
                false, rounds, millis(4000), millis(500), millis(2000), 2000, 5000, 500, 3000, 100_000, 20_000);
    }

    private static long millis(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    String command() {
        return quick ? "mvn -B -Pbench verify -Dbench.quick=true" : "mvn -B -Pbench verify";
    }
}
