package dev.workflowhttp.bench;

import java.lang.management.ManagementFactory;

/** Heap in use once garbage is gone. */
final class Heap {

    private Heap() {}

    /** Heap used after a few full collections, in bytes. */
    static long usedAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(
                    used,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
