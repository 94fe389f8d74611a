package dev.workflowhttp.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw TCP server on 127.0.0.1 for what a well-behaved HTTP server never does: stall, trickle, cut a body short,
 * reset the connection, send garbage, or never accept at all. Each connection runs its handler on its own thread
 * and records when the client closed it.
 */
public final class HostileServer implements AutoCloseable {

    @FunctionalInterface
    public interface Handler {
        void handle(Connection connection) throws Exception;
    }

    private final ServerSocket serverSocket;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<Connection> accepted = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<String> requestHeads = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<Socket> backlogFillers = new ArrayList<>();
    private final AtomicInteger counter = new AtomicInteger();
    private volatile boolean closed;

    private HostileServer(ServerSocket serverSocket) {
        this.serverSocket = serverSocket;
    }

    /** Accepts connections and runs {@code handler} on each. */
    public static HostileServer start(Handler handler) throws IOException {
        return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), handler);
    }

    /**
     * Accepts connections on {@code address} (a loopback address and port; port 0 for any) and runs
     * {@code handler} on each.
     */
    public static HostileServer start(InetSocketAddress address, Handler handler) throws IOException {
        if (!address.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException(address + " is not a loopback address: tests reach only 127.0.0.0/8");
        }
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(address, 50);
        HostileServer server = new HostileServer(socket);
        Thread acceptor = new Thread(() -> server.acceptLoop(handler), "hostile-server-accept");
        acceptor.setDaemon(true);
        server.threads.add(acceptor);
        acceptor.start();
        return server;
    }

    /**
     * A listening socket that never accepts, with its accept queue filled: a new connection attempt gets no answer
     * to its SYN and stays pending, like a connect to a host that drops packets, but on loopback.
     */
    public static HostileServer neverAccepting() throws IOException {
        HostileServer server = new HostileServer(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
        for (int i = 0; i < 4; i++) {
            Socket filler = new Socket();
            try {
                filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 300);
                server.backlogFillers.add(filler);
            } catch (IOException full) {
                filler.close();
                break;
            }
        }
        return server;
    }

    private void acceptLoop(Handler handler) {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                return;
            }
            Connection connection = new Connection(socket, requestHeads);
            connections.add(connection);
            accepted.add(connection);
            Thread worker = new Thread(
                    () -> {
                        try {
                            handler.handle(connection);
                        } catch (Exception e) {
                            // the client went away or the test closed the server: what the handler did is recorded
                        } finally {
                            connection.handlerDone = true;
                        }
                    },
                    "hostile-server-" + counter.incrementAndGet());
            worker.setDaemon(true);
            threads.add(worker);
            worker.start();
        }
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** The loopback address the server listens on. */
    public InetAddress address() {
        return serverSocket.getInetAddress();
    }

    public List<Connection> connections() {
        return connections;
    }

    /** The next connection accepted, waiting up to {@code timeout}. */
    public Connection nextConnection(Duration timeout) throws InterruptedException {
        Connection connection = accepted.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (connection == null) {
            throw new AssertionError("no connection accepted within " + timeout);
        }
        return connection;
    }

    /** The head (request line and headers) of the next request a handler read, waiting up to {@code timeout}. */
    public String nextRequestHead(Duration timeout) throws InterruptedException {
        String head = requestHeads.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (head == null) {
            throw new AssertionError("no request read within " + timeout);
        }
        return head;
    }

    @Override
    public void close() throws Exception {
        closed = true;
        serverSocket.close();
        for (Socket filler : backlogFillers) {
            filler.close();
        }
        for (Connection connection : connections) {
            connection.socket.close();
        }
        for (Thread thread : threads) {
            thread.join(5000);
        }
    }

    /**
     * Reads an HTTP message head (the start line and headers, up to and including the empty line) byte by byte,
     * leaving the body unread.
     */
    public static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the end of the message head");
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1
                    : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** One accepted connection. */
    public static final class Connection {
        private final Socket socket;
        private final LinkedBlockingQueue<String> requestHeads;
        private final long acceptedNanos = System.nanoTime();
        private volatile long peerClosedNanos;
        private volatile boolean handlerDone;

        Connection(Socket socket, LinkedBlockingQueue<String> requestHeads) {
            this.socket = socket;
            this.requestHeads = requestHeads;
        }

        public InputStream in() throws IOException {
            return socket.getInputStream();
        }

        public OutputStream out() throws IOException {
            return socket.getOutputStream();
        }

        /** Reads the request line and headers (and discards a Content-Length body). */
        public String readRequest() throws IOException {
            InputStream in = socket.getInputStream();
            String text = readHead(in);
            requestHeads.add(text);
            for (String line : text.split("\r\n")) {
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    long length = Long.parseLong(line.substring(15).trim());
                    in.readNBytes((int) length);
                }
            }
            return text;
        }

        public void write(String text) throws IOException {
            write(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        public void write(byte[] bytes) throws IOException {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
        }

        /** Closes with a TCP reset instead of a clean FIN. */
        public void reset() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }

        public void close() throws IOException {
            socket.close();
        }

        /**
         * Blocks until the client closes the connection (or {@code timeout} passes) and returns how long after the
         * accept that was.
         */
        public Duration awaitClosedByClient(Duration timeout) throws IOException {
            socket.setSoTimeout((int) timeout.toMillis());
            InputStream in = socket.getInputStream();
            byte[] sink = new byte[8192];
            try {
                while (in.read(sink) >= 0) {
                    // discard whatever the client still sends
                }
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError("the client did not close the connection within " + timeout);
            } catch (SocketException e) {
                // reset by the client: closed as well
            }
            peerClosedNanos = System.nanoTime();
            return Duration.ofNanos(peerClosedNanos - acceptedNanos);
        }

        /** Nanos (System.nanoTime) the connection was accepted. */
        public long acceptedNanos() {
            return acceptedNanos;
        }

        public boolean handlerDone() {
            return handlerDone;
        }
    }
}
