package dev.workflowhttp.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP services the shipped workflows call, served by the app itself on 127.0.0.1 so that a fresh clone runs
 * the whole story offline:
 * <ul>
 * <li>{@code GET /demo/feed}: order lines, one per line, the last one longer than 64 KiB;</li>
 * <li>{@code GET /demo/slow-feed}: lines trickled over several seconds;</li>
 * <li>{@code POST /demo/api/orders}: accepts an order, answers 503 to every third request and 422 to an order
 * marked {@code poison};</li>
 * <li>{@code GET /demo/stats}: how many orders were accepted.</li>
 * </ul>
 */
public final class DemoEndpoints implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoEndpoints.class);

    /** The address the endpoints listen on: loopback only. */
    static final String HOST = InetAddress.getLoopbackAddress().getHostAddress();

    private final HttpServer server;
    private final ExecutorService handlers;
    private final AtomicInteger apiCalls = new AtomicInteger();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicInteger feedRound = new AtomicInteger();
    private final long slowFeedMillis;

    /** Lines in one round of {@code /demo/feed}. */
    public static final int FEED_LINES = 5;

    public DemoEndpoints(int port, long slowFeedMillis) throws IOException {
        this.slowFeedMillis = slowFeedMillis;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        AtomicInteger threads = new AtomicInteger();
        handlers = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "demo-endpoints-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(handlers);
        server.createContext("/demo/feed", this::feed);
        server.createContext("/demo/slow-feed", this::slowFeed);
        server.createContext("/demo/api/orders", this::orders);
        server.createContext("/demo/stats", this::stats);
    }

    public void start() {
        server.start();
        LOG.info("Demo endpoints at http://127.0.0.1:{}/demo/ (feed, slow-feed, api/orders, stats)", port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public long acceptedOrders() {
        return accepted.get();
    }

    private void feed(HttpExchange exchange) throws IOException {
        int round = feedRound.incrementAndGet();
        StringBuilder body = new StringBuilder();
        for (int i = 1; i < FEED_LINES; i++) {
            body.append(String.format("{\"order\":\"R%d-%d\",\"item\":\"widget\",\"quantity\":%d}%n", round, i, i));
        }
        // one line over 64 KiB, to show long lines are handled whole
        body.append(String.format(
                "{\"order\":\"R%d-%d\",\"item\":\"long\",\"note\":\"%s\"}%n",
                round, FEED_LINES, "n".repeat(70 * 1024)));
        respond(exchange, 200, "application/x-ndjson", body.toString());
    }

    private void slowFeed(HttpExchange exchange) throws IOException {
        int lines = 20;
        long pause = slowFeedMillis / lines;
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 1; i <= lines; i++) {
                out.write(String.format("slow line %d of %d%n", i, lines).getBytes(StandardCharsets.UTF_8));
                out.flush();
                TimeUnit.MILLISECONDS.sleep(pause);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void orders(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            respond(exchange, 405, "text/plain", "POST only\n");
            return;
        }
        String order = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (order.contains("poison")) {
            respond(exchange, 422, "application/json", "{\"error\":\"order refused\"}");
            return;
        }
        if (apiCalls.incrementAndGet() % 3 == 0) {
            exchange.getResponseHeaders().set("Retry-After", "1");
            respond(exchange, 503, "application/json", "{\"error\":\"busy, try again\"}");
            return;
        }
        long number = accepted.incrementAndGet();
        respond(exchange, 201, "application/json", "{\"accepted\":" + number + "}");
    }

    private void stats(HttpExchange exchange) throws IOException {
        respond(exchange, 200, "application/json", "{\"accepted\":" + accepted.get() + "}");
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
