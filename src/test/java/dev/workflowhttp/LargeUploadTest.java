package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.support.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A multipart file three times the size of the heap is sent whole: read from disk as the connection takes it, never
 * held in memory (a JVM with a 64 MiB heap uploads 192 MiB, and the server checks every byte).
 */
class LargeUploadTest {

    @Test
    void aFileLargerThanTheHeapIsUploadedIntact() throws Exception {
        Path log = Files.createTempFile("large-upload", ".log");
        try (ChildJvm child = ChildJvm.start(log, List.of("-Xmx64m"), LargeUploadInSmallHeap.class.getName())) {
            Integer exit = child.waitFor(Duration.ofMinutes(3));
            String output = child.log();
            String result = output.lines()
                    .filter(line -> line.startsWith("RESULT"))
                    .findFirst()
                    .orElse(output);
            System.out.println(result);
            assertThat(exit).as(result).isEqualTo(0);
            assertThat(result)
                    .contains(
                            "answer=intact-bytes=" + LargeUploadInSmallHeap.FILE_BYTES,
                            "openScopes=0",
                            "pendingTimers=0",
                            "leased=0",
                            "maxHeapMiB=64",
                            "fileMiB=192");
            assertThat(output).doesNotContain("OutOfMemoryError");
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
