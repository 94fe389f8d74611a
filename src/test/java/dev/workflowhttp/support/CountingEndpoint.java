package dev.workflowhttp.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A slow HTTP endpoint on 127.0.0.1 that counts the message ids posted to it, and which instance (User-Agent)
 * posted each one, and when.
 */
public final class CountingEndpoint implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> byInstance = new ConcurrentHashMap<>();
    private final Queue<Arrival> arrivals = new ConcurrentLinkedQueue<>();
    private final Map<String, Set<String>> idempotencyKeys = new ConcurrentHashMap<>();
    private final long delayMillis;

    public CountingEndpoint(long delayMillis) throws IOException {
        this.delayMillis = delayMillis;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(threads);
        server.createContext("/count", this::count);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/count";
    }

    private void count(HttpExchange exchange) throws IOException {
        String id = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            // the work each message stands for: slow enough for a kill to land mid-way
            TimeUnit.MILLISECONDS.sleep(delayMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        counts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        String instance = String.valueOf(exchange.getRequestHeaders().getFirst("User-Agent"));
        byInstance.computeIfAbsent(instance, k -> ConcurrentHashMap.newKeySet()).add(id);
        arrivals.add(new Arrival(id, instance, System.nanoTime()));
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        if (key != null) {
            idempotencyKeys
                    .computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet())
                    .add(key);
        }
        byte[] body = "counted".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    public Map<String, AtomicInteger> counts() {
        return counts;
    }

    /** One posted id, who posted it and when it was counted ({@link System#nanoTime()}). */
    public record Arrival(String id, String instance, long nanos) {}

    /** Every post in the order counted. */
    public List<Arrival> arrivals() {
        return List.copyOf(arrivals);
    }

    /** The {@code Idempotency-Key} headers each message id was posted with. */
    public Map<String, Set<String>> idempotencyKeys() {
        return idempotencyKeys;
    }

    public Map<String, Set<String>> byInstance() {
        return byInstance;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
