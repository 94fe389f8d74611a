package dev.workflowhttp.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A keep-alive HTTP server on 127.0.0.1 for tests that make many calls: {@code /ok} answers {@code ok},
 * {@code /bytes?n=N} answers N bytes, {@code /trickle} sends its headers and then one byte every 50 ms of a body
 * that never ends (until the client closes the connection, or 60 s).
 */
public final class LoopbackHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads;
    private final AtomicInteger requests = new AtomicInteger();

    public LoopbackHttpServer(int threadCount) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        threads = Executors.newFixedThreadPool(threadCount, runnable -> {
            Thread thread = new Thread(runnable, "hostile-server-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.createContext("/ok", exchange -> answer(exchange, "ok".getBytes(StandardCharsets.UTF_8)));
        server.createContext("/bytes", this::bytes);
        server.createContext("/trickle", this::trickle);
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Requests answered or begun so far. */
    public int requests() {
        return requests.get();
    }

    private void answer(HttpExchange exchange, byte[] body) throws IOException {
        requests.incrementAndGet();
        exchange.getRequestBody().readAllBytes();
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private void bytes(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getQuery();
        int n = Integer.parseInt(query.substring(query.indexOf("n=") + 2).split("&")[0]);
        byte[] body = new byte[n];
        Arrays.fill(body, (byte) 'x');
        answer(exchange, body);
    }

    private void trickle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        exchange.getRequestBody().readAllBytes();
        exchange.sendResponseHeaders(200, 1_000_000);
        OutputStream out = exchange.getResponseBody();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try {
            while (System.nanoTime() - end < 0) {
                out.write('t');
                out.flush();
                TimeUnit.MILLISECONDS.sleep(50);
            }
        } catch (IOException closedByClient) {
            // the client gave up: what this endpoint is for
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
