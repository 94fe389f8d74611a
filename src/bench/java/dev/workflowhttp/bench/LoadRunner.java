package dev.workflowhttp.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Drives a contender in a closed loop at a fixed concurrency: each of {@code concurrency} lanes starts its next call
 * when the previous one finished. A blocking contender gets one thread per lane; a non-blocking one is driven from
 * its own completion callbacks.
 */
final class LoadRunner {

    /**
     * What a timed run measured inside its window; {@code serverCpuShare}: the server processes' CPU time over the
     * window (1.0 = one core busy), {@code processCpus}: this JVM's.
     */
    record Timed(long calls, double seconds, long[] sortedLatencyNanos, double serverCpuShare, double processCpus) {
        double callsPerSecond() {
            return calls / seconds;
        }

        double percentileMillis(double p) {
            return Stats.percentile(sortedLatencyNanos, p) / 1e6;
        }
    }

    /** A hook run after every lane finished and before a blocking contender's lane threads end. */
    interface Finish {
        void run();
    }

    private final ServerProcesses servers;

    LoadRunner(ServerProcesses servers) {
        this.servers = servers;
    }

    /**
     * Runs for {@code warmupNanos + measureNanos}; only calls that finish inside the measured window count. A failed
     * call or a body of the wrong length fails the run.
     */
    Timed timed(Contender contender, int bodySize, int concurrency, long warmupNanos, long measureNanos)
            throws Exception {
        long start = System.nanoTime();
        long measureFrom = start + warmupNanos;
        long stopAt = measureFrom + measureNanos;
        Lane[] lanes = new Lane[concurrency];
        for (int i = 0; i < concurrency; i++) {
            lanes[i] = new Lane(measureFrom, stopAt);
        }
        Run run = new Run(contender, bodySize, lanes, () -> System.nanoTime() < stopAt);
        run.begin();
        sleepUntil(measureFrom);
        long serverCpuFrom = servers.cpuNanos();
        long processCpuFrom = Cpu.processCpuNanos();
        sleepUntil(stopAt);
        long serverCpu = servers.cpuNanos() - serverCpuFrom;
        long processCpu = Cpu.processCpuNanos() - processCpuFrom;
        run.awaitEnd(TimeUnit.NANOSECONDS.toMillis(measureNanos) + 120_000, null);
        long calls = 0;
        int latencies = 0;
        for (Lane lane : lanes) {
            calls += lane.measured;
            latencies += lane.latencyCount;
        }
        long[] all = new long[latencies];
        int at = 0;
        for (Lane lane : lanes) {
            System.arraycopy(lane.latencies, 0, all, at, lane.latencyCount);
            at += lane.latencyCount;
        }
        Arrays.sort(all);
        double seconds = measureNanos / 1e9;
        return new Timed(calls, seconds, all, serverCpu / (double) measureNanos, processCpu / (double) measureNanos);
    }

    /** Runs exactly {@code totalCalls} calls; {@code finish} runs when the last finished. Returns the nanoseconds taken. */
    long counted(Contender contender, int bodySize, int concurrency, long totalCalls, Finish finish) throws Exception {
        AtomicLong tickets = new AtomicLong(totalCalls);
        Lane[] lanes = new Lane[concurrency];
        for (int i = 0; i < concurrency; i++) {
            lanes[i] = new Lane(Long.MAX_VALUE, Long.MIN_VALUE);
        }
        long start = System.nanoTime();
        Run run = new Run(contender, bodySize, lanes, () -> tickets.getAndDecrement() > 0);
        run.begin();
        run.awaitEnd(600_000, finish);
        return System.nanoTime() - start;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private interface Gate {
        boolean another();
    }

    /** One lane's calls; touched by one call at a time, so no locking. */
    private static final class Lane {
        private final long measureFrom;
        private final long stopAt;
        private long[] latencies = new long[1024];
        private int latencyCount;
        private long measured;

        Lane(long measureFrom, long stopAt) {
            this.measureFrom = measureFrom;
            this.stopAt = stopAt;
        }

        void finished(long startedNanos, long endedNanos) {
            if (endedNanos - measureFrom >= 0 && stopAt - endedNanos >= 0) {
                measured++;
                if (latencyCount == latencies.length) {
                    latencies = Arrays.copyOf(latencies, latencyCount * 2);
                }
                latencies[latencyCount++] = endedNanos - startedNanos;
            }
        }
    }

    private static final class Run {
        private final Contender contender;
        private final int bodySize;
        private final Lane[] lanes;
        private final Gate gate;
        private final CountDownLatch lanesDone;
        private final CountDownLatch threadsMayEnd = new CountDownLatch(1);
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Run(Contender contender, int bodySize, Lane[] lanes, Gate gate) {
            this.contender = contender;
            this.bodySize = bodySize;
            this.lanes = lanes;
            this.gate = gate;
            this.lanesDone = new CountDownLatch(lanes.length);
        }

        void begin() {
            for (int i = 0; i < lanes.length; i++) {
                Lane lane = lanes[i];
                if (contender.blocking()) {
                    Thread thread = new Thread(() -> blockingLane(lane), "bench-lane-" + i);
                    thread.setDaemon(true);
                    thread.start();
                } else {
                    next(lane);
                }
            }
        }

        private void blockingLane(Lane lane) {
            try {
                while (failure.get() == null && gate.another()) {
                    long started = System.nanoTime();
                    long bytes = contender.call(bodySize);
                    long ended = System.nanoTime();
                    check(bytes, null);
                    lane.finished(started, ended);
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            } finally {
                lanesDone.countDown();
            }
            try {
                threadsMayEnd.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void next(Lane lane) {
            if (failure.get() != null || !gate.another()) {
                lanesDone.countDown();
                return;
            }
            long started = System.nanoTime();
            try {
                contender.start(bodySize, (bytes, error) -> {
                    long ended = System.nanoTime();
                    if (check(bytes, error)) {
                        lane.finished(started, ended);
                    }
                    next(lane);
                });
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
                lanesDone.countDown();
            }
        }

        private boolean check(long bytes, Throwable error) {
            if (error != null) {
                failure.compareAndSet(null, error);
                return false;
            }
            if (bytes != bodySize) {
                failure.compareAndSet(
                        null,
                        new IllegalStateException(
                                contender.name() + " read " + bytes + " bytes, expected " + bodySize));
                return false;
            }
            return true;
        }

        void awaitEnd(long timeoutMillis, Finish finish) throws Exception {
            try {
                if (!lanesDone.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException(
                            contender.name() + ": calls still running after " + timeoutMillis + " ms");
                }
                if (finish != null) {
                    finish.run();
                }
            } finally {
                threadsMayEnd.countDown();
            }
            Throwable error = failure.get();
            if (error != null) {
                throw new IllegalStateException(contender.name() + " failed a call: " + error, error);
            }
        }
    }

    /** CPU time readings. */
    static final class Cpu {
        private Cpu() {}

        static long processCpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }
    }
}
