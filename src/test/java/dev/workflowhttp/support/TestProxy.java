package dev.workflowhttp.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP proxy on 127.0.0.1 for tests: forwards {@code http://} requests (absolute URIs) and tunnels
 * {@code CONNECT}, optionally asking for basic credentials first (407). Whatever host a request names, the proxy
 * connects to 127.0.0.1 on that port: tests reach only loopback. One request per client connection.
 */
public final class TestProxy implements AutoCloseable {

    /** What the proxy received: the request line and its Proxy-Authorization header (or null). */
    public record Seen(String requestLine, String proxyAuthorization) {}

    private final ServerSocket serverSocket;
    private final String requiredAuthorization;
    private final LinkedBlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
    private final List<Seen> all = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicInteger counter = new AtomicInteger();
    private volatile boolean closed;

    private TestProxy(String username, String password) throws IOException {
        this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.requiredAuthorization = username == null
                ? null
                : "Basic "
                        + Base64.getEncoder()
                                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        spawn("accept", this::acceptLoop);
    }

    public static TestProxy open() throws IOException {
        return new TestProxy(null, null);
    }

    /** A proxy that answers 407 unless the request carries these basic credentials. */
    public static TestProxy requiringCredentials(String username, String password) throws IOException {
        return new TestProxy(username, password);
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    /** The next request the proxy received, waiting up to {@code timeout}. */
    public Seen next(Duration timeout) throws InterruptedException {
        Seen next = seen.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (next == null) {
            throw new AssertionError("the proxy received no request within " + timeout);
        }
        return next;
    }

    /** Every request the proxy received so far. */
    public List<Seen> received() {
        return new ArrayList<>(all);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = serverSocket.accept();
            } catch (IOException e) {
                return;
            }
            sockets.add(client);
            spawn("connection", () -> serve(client));
        }
    }

    private void serve(Socket client) {
        try {
            String head = HostileServer.readHead(client.getInputStream());
            String requestLine = head.substring(0, head.indexOf("\r\n"));
            String authorization = header(head, "Proxy-Authorization");
            Seen request = new Seen(requestLine, authorization);
            all.add(request);
            seen.add(request);
            OutputStream toClient = client.getOutputStream();
            if (requiredAuthorization != null && !requiredAuthorization.equals(authorization)) {
                toClient.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic "
                                + "realm=\"test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                toClient.flush();
                client.close();
                return;
            }
            String[] parts = requestLine.split(" ");
            if (parts[0].equals("CONNECT")) {
                Socket origin = connectToLoopback(portOf(parts[1]));
                toClient.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                toClient.flush();
                pipe(client, origin);
            } else {
                java.net.URI target = java.net.URI.create(parts[1]);
                Socket origin = connectToLoopback(target.getPort() < 0 ? 80 : target.getPort());
                StringBuilder forwarded = new StringBuilder(parts[0])
                        .append(' ')
                        .append(target.getRawPath())
                        .append(target.getRawQuery() == null ? "" : "?" + target.getRawQuery())
                        .append(' ')
                        .append(parts[2])
                        .append("\r\n");
                for (String line : head.substring(head.indexOf("\r\n") + 2).split("\r\n")) {
                    if (!line.isEmpty()
                            && !line.regionMatches(true, 0, "Proxy-", 0, 6)
                            && !line.regionMatches(true, 0, "Connection:", 0, 11)) {
                        forwarded.append(line).append("\r\n");
                    }
                }
                forwarded.append("Connection: close\r\n\r\n");
                origin.getOutputStream().write(forwarded.toString().getBytes(StandardCharsets.ISO_8859_1));
                origin.getOutputStream().flush();
                pipe(client, origin);
            }
        } catch (IOException e) {
            // the client or the test closed the connection
        }
    }

    private Socket connectToLoopback(int port) throws IOException {
        Socket origin = new Socket(InetAddress.getLoopbackAddress(), port);
        sockets.add(origin);
        return origin;
    }

    private void pipe(Socket client, Socket origin) {
        spawn("up", () -> copy(client, origin));
        copy(origin, client);
    }

    private static void copy(Socket from, Socket to) {
        byte[] buffer = new byte[8192];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return null;
    }

    private static int portOf(String authority) {
        return Integer.parseInt(authority.substring(authority.lastIndexOf(':') + 1));
    }

    private void spawn(String role, Runnable task) {
        Thread thread = new Thread(task, "test-proxy-" + role + "-" + counter.incrementAndGet());
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    @Override
    public void close() throws Exception {
        closed = true;
        serverSocket.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        for (Thread thread : threads) {
            thread.join(5000);
        }
    }
}
