package dev.workflowhttp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.workflowhttp.component.WorkflowHttpComponent;
import dev.workflowhttp.support.HostileServer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Run in a JVM of its own with a 64 MiB heap by {@link LargeUploadTest}: uploads a 192 MiB file as a multipart part
 * to a loopback server that checks every byte as it arrives, holding none. Prints one {@code RESULT} line and exits 0
 * when the server received the whole file intact and nothing was left open.
 */
public final class LargeUploadInSmallHeap {

    static final long FILE_BYTES = 192L * 1024 * 1024;

    private LargeUploadInSmallHeap() {}

    /** The file's content: a pattern whose every byte the server can check without a copy of the file. */
    static byte patternAt(long offset) {
        return (byte) (offset * 31 % 251);
    }

    public static void main(String[] args) throws Exception {
        Path file = Files.createTempFile("large-upload", ".bin");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        try {
            try (OutputStream out = Files.newOutputStream(file)) {
                byte[] chunk = new byte[1 << 20];
                for (long offset = 0; offset < FILE_BYTES; offset += chunk.length) {
                    for (int i = 0; i < chunk.length; i++) {
                        chunk[i] = patternAt(offset + i);
                    }
                    out.write(chunk);
                }
            }
            server.createContext("/upload", LargeUploadInSmallHeap::check);
            server.start();
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/upload";
            try (DefaultCamelContext context = new DefaultCamelContext()) {
                WorkflowHttpComponent component = new WorkflowHttpComponent();
                context.addComponent("workflow-http", component);
                context.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("direct:upload").to("workflow-http:" + url + "?timeout=2m");
                    }
                });
                context.start();
                ProducerTemplate template = context.createProducerTemplate();
                long start = System.nanoTime();
                Exchange result = template.request(
                        "direct:upload",
                        e -> e.getMessage().setHeader(WorkflowHttpConstants.MULTIPART, Map.of("file", file)));
                long millis = (System.nanoTime() - start) / 1_000_000;
                String answer = result.getException() != null
                        ? String.valueOf(result.getException())
                        : result.getMessage().getBody(String.class);
                System.out.printf(
                        "RESULT answer=%s openScopes=%d pendingTimers=%d leased=%d maxHeapMiB=%d fileMiB=%d"
                                + " millis=%d%n",
                        answer,
                        component.getOpenScopes(),
                        component.getPendingTimers(),
                        component.getLeasedConnections(),
                        Runtime.getRuntime().maxMemory() >> 20,
                        FILE_BYTES >> 20,
                        millis);
                System.exit(result.getException() == null ? 0 : 1);
            }
        } finally {
            server.stop(0);
            Files.deleteIfExists(file);
        }
    }

    /** Reads the part's head, checks the file's bytes one by one as they arrive, then the closing boundary. */
    private static void check(HttpExchange exchange) throws IOException {
        String answer;
        try (InputStream in = new BufferedInputStream(exchange.getRequestBody(), 1 << 16)) {
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            String boundary = contentType.substring(contentType.indexOf("boundary=") + 9);
            String head = HostileServer.readHead(in);
            long good = 0;
            long offset = 0;
            byte[] buffer = new byte[1 << 16];
            while (offset < FILE_BYTES) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, FILE_BYTES - offset));
                if (read < 0) {
                    break;
                }
                for (int i = 0; i < read; i++) {
                    if (buffer[i] == patternAt(offset + i)) {
                        good++;
                    }
                }
                offset += read;
            }
            String tail = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            boolean intact =
                    head.contains("name=\"file\"") && good == FILE_BYTES && tail.equals("\r\n--" + boundary + "--\r\n");
            answer = (intact ? "intact" : "broken") + "-bytes=" + good;
        }
        byte[] bytes = answer.getBytes(StandardCharsets.US_ASCII);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
