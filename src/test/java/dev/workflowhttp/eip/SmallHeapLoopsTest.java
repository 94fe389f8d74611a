package dev.workflowhttp.eip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.support.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sixteen routes looping over 1 MiB bodies at once, and one loop of 400 of them, in a JVM with a 256 MiB heap:
 * each call's body is released when the next replaces it, so the loops finish instead of running out of memory
 * (before, every body stayed reachable until its exchange ended: 40 MiB per route, 640 MiB for the sixteen, 400 MiB
 * for the long loop).
 */
class SmallHeapLoopsTest {

    @Test
    void loopsOverOneMebibyteBodiesFinishInASmallHeap() throws Exception {
        Path log = Files.createTempFile("small-heap-loops", ".log");
        try (ChildJvm child = ChildJvm.start(log, List.of(), SmallHeapLoops.class.getName())) {
            Integer exit = child.waitFor(Duration.ofMinutes(6));
            String output = child.log();
            String result = output.lines()
                    .filter(line -> line.startsWith("RESULT"))
                    .findFirst()
                    .orElse(output);
            System.out.println(result);
            assertThat(exit).as(result).isEqualTo(0);
            int calls = SmallHeapLoops.ROUTES * SmallHeapLoops.CALLS_PER_ROUTE + SmallHeapLoops.LONG_LOOP;
            assertThat(result)
                    .contains(
                            "calls=" + calls,
                            "failures=0",
                            "openScopes=0",
                            "pendingTimers=0",
                            "leased=0",
                            "maxHeapMiB=256");
            assertThat(output).doesNotContain("OutOfMemoryError");
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
