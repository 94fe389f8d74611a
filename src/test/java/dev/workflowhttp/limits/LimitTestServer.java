package dev.workflowhttp.limits;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A loopback HTTP server that records when each request arrived (System.nanoTime(), the client's clock too) and how
 * many were open at once; each answer is chosen by a function of the request's arrival number (1 for the first).
 */
final class LimitTestServer implements AutoCloseable {

    /** An answer: status, a Retry-After header (or null), and how long the server works before it answers. */
    record Answer(int status, String retryAfter, long workMillis) {
        static Answer ok(long workMillis) {
            return new Answer(200, null, workMillis);
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(32);
    private final ConcurrentLinkedQueue<Long> arrivals = new ConcurrentLinkedQueue<>();
    private final AtomicInteger number = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger maxOpen = new AtomicInteger();
    private final IntFunction<Answer> answers;

    LimitTestServer(IntFunction<Answer> answers) throws IOException {
        this.answers = answers;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        server.setExecutor(threads);
        server.createContext("/", this::answer);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void answer(HttpExchange exchange) throws IOException {
        arrivals.add(System.nanoTime());
        int now = open.incrementAndGet();
        maxOpen.accumulateAndGet(now, Math::max);
        try {
            exchange.getRequestBody().readAllBytes();
            Answer answer = answers.apply(number.incrementAndGet());
            if (answer.workMillis() > 0) {
                // the work the request stands for, so that calls overlap at the server
                Thread.sleep(answer.workMillis());
            }
            if (answer.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
            }
            byte[] body = ("answer " + answer.status()).getBytes(StandardCharsets.UTF_8);
            // counted closed before the last byte goes: the client may admit the next call as soon as it has it
            open.decrementAndGet();
            exchange.sendResponseHeaders(answer.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (InterruptedException e) {
            open.decrementAndGet();
            Thread.currentThread().interrupt();
        }
    }

    /** Arrival times, in order of arrival. */
    List<Long> arrivals() {
        List<Long> sorted = new ArrayList<>(arrivals);
        sorted.sort(Long::compare);
        return sorted;
    }

    int requests() {
        return arrivals.size();
    }

    int maxOpen() {
        return maxOpen.get();
    }

    /** The most requests that arrived within any window of {@code windowNanos} (half-open: [t, t + window)). */
    int mostInAnyWindow(long windowNanos) {
        List<Long> times = arrivals();
        int most = 0;
        int first = 0;
        for (int last = 0; last < times.size(); last++) {
            while (times.get(last) - times.get(first) >= windowNanos) {
                first++;
            }
            most = Math.max(most, last - first + 1);
        }
        return most;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
