package dev.workflowhttp.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal HTTP/1.1 server on one NIO selector thread, fast enough not to be what a benchmark measures: keep-alive,
 * canned responses written from shared read-only buffers, no parsing beyond the request line and
 * {@code Content-Length}.
 * <ul>
 * <li>{@code GET /bytes/<n>}: a body of {@code n} bytes at once;</li>
 * <li>{@code GET /trickle/<n>/<millis>/<slices>}: the headers at once, then {@code n} bytes in {@code slices} equal
 * slices spread over {@code millis}.</li>
 * <li>{@code GET /stats}: {@code open=<n> peak=<n>}, the connections open now and the most open at once since the
 * last such request (this request's own connection included).</li>
 * </ul>
 * Slices are sent from the selector thread on a timer queue: a trickled body holds a connection, never a thread.
 * <p>
 * {@link #main} runs it as a process of its own, as the benchmark suite does: it prints {@code listening on <port>}
 * and serves until its standard input ends.
 */
public final class BenchServer implements AutoCloseable {

    private static final byte[] NOT_FOUND =
            ("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private final ServerSocketChannel server;
    private final Selector selector;
    private final Thread thread;
    private final PriorityQueue<Slice> slices = new PriorityQueue<>(Comparator.comparingLong(Slice::due));
    private final Map<Integer, ByteBuffer> whole = new HashMap<>();
    private final Map<Integer, ByteBuffer> bodies = new HashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger peakOpen = new AtomicInteger();
    private volatile boolean running = true;

    private BenchServer() throws IOException {
        selector = Selector.open();
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        thread = new Thread(this::loop, "bench-server");
        thread.setDaemon(true);
    }

    public static BenchServer start() throws IOException {
        BenchServer started = new BenchServer();
        started.thread.start();
        return started;
    }

    /** Serves on 127.0.0.1 (an ephemeral port) until standard input ends, then stops. */
    public static void main(String[] args) throws IOException {
        try (BenchServer server = start()) {
            System.out.println("listening on " + server.port());
            System.out.flush();
            // the parent holds the other end of this pipe: the server ends with it, even when the parent is killed
            while (System.in.read() >= 0) {
                // nothing is expected on standard input
            }
        }
    }

    public int port() {
        return server.socket().getLocalPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    long threadId() {
        return thread.getId();
    }

    public int openConnections() {
        return open.get();
    }

    /** The most connections open at once since the last call. */
    int takePeakConnections() {
        return peakOpen.getAndSet(open.get());
    }

    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
        selector.close();
        server.close();
    }

    // ---- the selector thread

    private void loop() {
        try {
            while (running) {
                long waitMillis = untilNextSliceMillis();
                if (waitMillis < 0) {
                    selector.select();
                } else if (waitMillis == 0) {
                    selector.selectNow();
                } else {
                    selector.select(waitMillis);
                }
                Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                while (ready.hasNext()) {
                    SelectionKey key = ready.next();
                    ready.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        accept();
                        continue;
                    }
                    Connection connection = (Connection) key.attachment();
                    try {
                        if (key.isWritable()) {
                            connection.flush();
                        }
                        if (key.isValid() && key.isReadable()) {
                            connection.read();
                        }
                    } catch (IOException e) {
                        connection.close();
                    }
                }
                sendDueSlices();
            }
        } catch (IOException e) {
            if (running) {
                throw new IllegalStateException("bench server failed", e);
            }
        }
    }

    private long untilNextSliceMillis() {
        Slice next = slices.peek();
        if (next == null) {
            return -1;
        }
        long nanos = next.due - System.nanoTime();
        return nanos <= 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos));
    }

    private void sendDueSlices() {
        long now = System.nanoTime();
        while (!slices.isEmpty() && slices.peek().due - now <= 0) {
            Slice slice = slices.poll();
            Connection connection = slice.connection;
            if (connection.closed) {
                continue;
            }
            try {
                connection.sendSlice(slice);
            } catch (IOException e) {
                connection.close();
            }
        }
    }

    private void accept() throws IOException {
        SocketChannel channel;
        while ((channel = server.accept()) != null) {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Connection connection = new Connection(channel);
            connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
            int now = open.incrementAndGet();
            peakOpen.accumulateAndGet(now, Math::max);
        }
    }

    private ByteBuffer body(int size) {
        return bodies.computeIfAbsent(size, n -> {
            ByteBuffer buffer = ByteBuffer.allocateDirect(n);
            for (int i = 0; i < n; i++) {
                buffer.put((byte) ('a' + i % 26));
            }
            return buffer.flip().asReadOnlyBuffer();
        });
    }

    private static ByteBuffer head(int contentLength) {
        return ByteBuffer.wrap(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                        + contentLength + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    }

    private ByteBuffer wholeResponse(int size) {
        return whole.computeIfAbsent(size, n -> {
            ByteBuffer head = head(n);
            ByteBuffer response = ByteBuffer.allocateDirect(head.remaining() + n);
            response.put(head).put(body(n).duplicate());
            return response.flip().asReadOnlyBuffer();
        });
    }

    /** The {@code index}-th of {@code count} slices of a trickled body. */
    private record Slice(Connection connection, long due, int index, int count, int bodySize, long intervalNanos) {
        int from() {
            return (int) ((long) index * bodySize / count);
        }

        int to() {
            return (int) ((long) (index + 1) * bodySize / count);
        }
    }

    private final class Connection {
        private final SocketChannel channel;
        // requests here are a GET line and a few headers
        private final ByteBuffer in = ByteBuffer.allocate(4 * 1024);
        private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
        private SelectionKey key;
        private boolean responding;
        private boolean trickling;
        private long requestBodyToSkip;
        private boolean closed;

        Connection(SocketChannel channel) {
            this.channel = channel;
        }

        void read() throws IOException {
            int n = channel.read(in);
            if (n < 0) {
                close();
                return;
            }
            handleInput();
        }

        private void handleInput() throws IOException {
            while (!responding && !closed) {
                if (requestBodyToSkip > 0) {
                    int skip = (int) Math.min(requestBodyToSkip, in.position());
                    consumeInput(skip);
                    requestBodyToSkip -= skip;
                    if (requestBodyToSkip > 0) {
                        return;
                    }
                }
                int end = headerEnd();
                if (end < 0) {
                    if (!in.hasRemaining()) {
                        close();
                    }
                    return;
                }
                String head = new String(in.array(), 0, end, StandardCharsets.US_ASCII);
                consumeInput(end);
                requestBodyToSkip = contentLength(head);
                int pathStart = head.indexOf(' ') + 1;
                int pathEnd = head.indexOf(' ', pathStart);
                respond(pathStart > 0 && pathEnd > pathStart ? head.substring(pathStart, pathEnd) : "/");
            }
            updateInterest();
        }

        private int headerEnd() {
            byte[] bytes = in.array();
            for (int i = 3; i < in.position(); i++) {
                if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
                    return i + 1;
                }
            }
            return -1;
        }

        private void consumeInput(int count) {
            in.flip();
            in.position(count);
            in.compact();
        }

        private void respond(String path) throws IOException {
            responding = true;
            try {
                if (path.startsWith("/bytes/")) {
                    out.add(wholeResponse(Integer.parseInt(path.substring("/bytes/".length())))
                            .duplicate());
                } else if (path.equals("/stats")) {
                    byte[] stats = ("open=" + open.get() + " peak=" + takePeakConnections())
                            .getBytes(StandardCharsets.US_ASCII);
                    out.add(head(stats.length));
                    out.add(ByteBuffer.wrap(stats));
                } else if (path.startsWith("/trickle/")) {
                    String[] parts = path.split("/");
                    int size = Integer.parseInt(parts[2]);
                    long millis = Long.parseLong(parts[3]);
                    int count = Math.max(1, Integer.parseInt(parts[4]));
                    out.add(head(size));
                    trickling = true;
                    long interval = TimeUnit.MILLISECONDS.toNanos(millis) / count;
                    slices.add(new Slice(this, System.nanoTime() + interval, 0, count, size, interval));
                } else {
                    out.add(ByteBuffer.wrap(NOT_FOUND));
                }
            } catch (RuntimeException e) {
                out.add(ByteBuffer.wrap(NOT_FOUND));
            }
            flush();
        }

        void sendSlice(Slice slice) throws IOException {
            ByteBuffer part = body(slice.bodySize).duplicate();
            part.position(slice.from()).limit(slice.to());
            out.add(part);
            if (slice.index + 1 == slice.count) {
                trickling = false;
            } else {
                slices.add(new Slice(
                        this,
                        slice.due + slice.intervalNanos,
                        slice.index + 1,
                        slice.count,
                        slice.bodySize,
                        slice.intervalNanos));
            }
            flush();
        }

        void flush() throws IOException {
            while (!out.isEmpty()) {
                ByteBuffer next = out.peek();
                channel.write(next);
                if (next.hasRemaining()) {
                    updateInterest();
                    return;
                }
                out.poll();
            }
            if (responding && !trickling) {
                responding = false;
                handleInput();
            }
            updateInterest();
        }

        private void updateInterest() {
            if (closed || !key.isValid()) {
                return;
            }
            int ops = 0;
            if (!out.isEmpty()) {
                ops |= SelectionKey.OP_WRITE;
            }
            if (in.hasRemaining()) {
                ops |= SelectionKey.OP_READ;
            }
            if (key.interestOps() != ops) {
                key.interestOps(ops);
            }
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            open.decrementAndGet();
            key.cancel();
            try {
                channel.close();
            } catch (IOException e) {
                // already gone
            }
        }
    }

    private static long contentLength(String head) {
        String name = "content-length:";
        int line = head.indexOf("\r\n") + 2;
        while (line > 1 && line < head.length()) {
            int end = head.indexOf("\r\n", line);
            if (end < 0) {
                end = head.length();
            }
            if (head.regionMatches(true, line, name, 0, name.length())) {
                return Long.parseLong(head.substring(line + name.length(), end).trim());
            }
            line = end + 2;
        }
        return 0;
    }
}
