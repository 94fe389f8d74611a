package dev.workflowhttp.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;

/**
 * A {@code multipart/form-data} body (RFC 7578) sent as it is produced: text and byte parts from memory, files read
 * from disk and streams read a window at a time as the connection takes them, so a file larger than the heap is
 * sent without being held. A body without stream parts is repeatable (a retry or a digest challenge sends it again,
 * files read afresh) and has a known length, sent as {@code Content-Length}; one with a stream part is sent once,
 * chunked.
 * <p>
 * A stream part is read on the executor given, never on the client's I/O thread: a stream that waits for its bytes
 * (one from the network) would otherwise stall every call that thread serves. At most two windows of it wait, read,
 * for the connection (besides the one being sent), and no thread waits while the connection is slower than the
 * stream. Stream parts are closed on that executor too.
 */
public final class MultipartBody {

    private static final int WINDOW = 64 * 1024;
    /** What {@code next()} returns while a stream part has no bytes read yet. */
    private static final ByteBuffer WAIT = ByteBuffer.allocate(0);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] BOUNDARY_CHARS =
            "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray();

    /**
     * One part as the request sends it.
     *
     * @param name        the form field name
     * @param filename    the file name, or null for none
     * @param contentType the part's content type, or null to send none (a plain text field)
     * @param content     {@code byte[]}, {@code Path} (its length taken when the body is built) or {@code InputStream}
     */
    public record Part(String name, String filename, String contentType, Object content) {}

    /** A piece of the body: bytes, a file of a known length, or a stream. */
    private record Segment(byte[] bytes, Path file, long length, InputStream stream) {}

    private final String boundary;
    private final List<Segment> segments;
    private final long length;
    private final boolean repeatable;
    private final Executor streamReader;

    private MultipartBody(
            String boundary, List<Segment> segments, long length, boolean repeatable, Executor streamReader) {
        this.boundary = boundary;
        this.segments = segments;
        this.length = length;
        this.repeatable = repeatable;
        this.streamReader = streamReader;
    }

    /**
     * @param lengths      the length of each {@code Path} part, in order, as found when the request was prepared
     * @param streamReader where {@code InputStream} parts are read
     */
    public static MultipartBody of(List<Part> parts, List<Long> lengths, Executor streamReader) {
        String boundary = newBoundary();
        List<Segment> segments = new ArrayList<>();
        long length = 0;
        boolean repeatable = true;
        int files = 0;
        StringBuilder head = new StringBuilder();
        for (Part part : parts) {
            head.append("--")
                    .append(boundary)
                    .append("\r\n")
                    .append("Content-Disposition: form-data; name=\"")
                    .append(quoted(part.name()))
                    .append('"');
            if (part.filename() != null) {
                head.append("; filename=\"").append(quoted(part.filename())).append('"');
            }
            head.append("\r\n");
            if (part.contentType() != null) {
                head.append("Content-Type: ").append(part.contentType()).append("\r\n");
            }
            head.append("\r\n");
            byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
            head.setLength(0);
            segments.add(new Segment(headBytes, null, headBytes.length, null));
            length += headBytes.length;
            if (part.content() instanceof byte[] bytes) {
                segments.add(new Segment(bytes, null, bytes.length, null));
                length += bytes.length;
            } else if (part.content() instanceof Path file) {
                long fileLength = lengths.get(files++);
                segments.add(new Segment(null, file, fileLength, null));
                length += fileLength;
            } else if (part.content() instanceof InputStream stream) {
                segments.add(new Segment(null, null, -1, stream));
                repeatable = false;
            } else {
                throw new IllegalArgumentException(
                        "Unsupported part content " + part.content().getClass().getName());
            }
            head.append("\r\n");
        }
        head.append("--").append(boundary).append("--\r\n");
        byte[] tail = head.toString().getBytes(StandardCharsets.UTF_8);
        segments.add(new Segment(tail, null, tail.length, null));
        length += tail.length;
        return new MultipartBody(boundary, List.copyOf(segments), repeatable ? length : -1, repeatable, streamReader);
    }

    /** Quotes a name or file name as browsers do (HTML's form submission): {@code "}, CR and LF percent-encoded. */
    private static String quoted(String text) {
        return text.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
    }

    private static String newBoundary() {
        char[] chars = new char[32];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = BOUNDARY_CHARS[RANDOM.nextInt(BOUNDARY_CHARS.length)];
        }
        return "----workflow-http-" + new String(chars);
    }

    public String boundary() {
        return boundary;
    }

    /** The body's length in bytes, or -1 when a stream part makes it unknown. */
    public long length() {
        return length;
    }

    public boolean repeatable() {
        return repeatable;
    }

    /** Closes the stream parts: the body will not be sent (again). */
    public void closeStreams() {
        for (Segment current : segments) {
            if (current.stream() != null) {
                try {
                    current.stream().close();
                } catch (IOException ignored) {
                    // closing what will not be read
                }
            }
        }
    }

    /** A producer that sends the body from its start (for one attempt). */
    public AsyncEntityProducer newProducer() {
        return new Producer();
    }

    private final class Producer implements AsyncEntityProducer {

        private final String contentType = ContentType.MULTIPART_FORM_DATA.getMimeType() + "; boundary=" + boundary;
        private ByteBuffer window;
        private int segment;
        private ByteBuffer pending;
        private FileChannel file;
        private long fileRead;
        private boolean done;
        /** The stream part being read, or null. */
        private StreamReader reader;
        /** The connection, for a stream part's reader to ask for output once it has bytes. */
        private volatile DataStreamChannel channel;

        @Override
        public boolean isRepeatable() {
            return repeatable;
        }

        @Override
        public String getContentType() {
            return contentType;
        }

        @Override
        public long getContentLength() {
            return length;
        }

        @Override
        public String getContentEncoding() {
            return null;
        }

        @Override
        public boolean isChunked() {
            return length < 0;
        }

        @Override
        public Set<String> getTrailerNames() {
            return null;
        }

        @Override
        public synchronized int available() {
            if (done) {
                return 0;
            }
            // waiting for a stream part's next bytes: its reader asks for output when they are there
            return pending == null && reader != null && !reader.hasBytes() ? 0 : Integer.MAX_VALUE;
        }

        @Override
        public synchronized void produce(DataStreamChannel channel) throws IOException {
            this.channel = channel;
            while (!done) {
                if (pending != null && pending.hasRemaining()) {
                    channel.write(pending);
                    if (pending.hasRemaining()) {
                        return; // the connection takes no more now: called again when it does
                    }
                }
                pending = next();
                if (pending == WAIT) {
                    pending = null;
                    return; // a stream part's bytes are not read yet: its reader asks for output
                }
                if (pending == null) {
                    done = true;
                    channel.endStream();
                }
            }
        }

        /** The next piece to send, {@link #WAIT} when a stream part has no bytes read yet, or null when complete. */
        private ByteBuffer next() throws IOException {
            while (segment < segments.size()) {
                Segment current = segments.get(segment);
                if (current.bytes() != null) {
                    segment++;
                    return ByteBuffer.wrap(current.bytes());
                }
                if (current.file() != null) {
                    if (window == null) {
                        window = ByteBuffer.allocate(WINDOW);
                    }
                    window.clear();
                    if (file == null) {
                        file = FileChannel.open(current.file(), StandardOpenOption.READ);
                        fileRead = 0;
                    }
                    int read = file.read(window);
                    if (read < 0) {
                        closeFile();
                        if (fileRead != current.length()) {
                            throw changed(current, fileRead);
                        }
                        segment++;
                        continue;
                    }
                    fileRead += read;
                    if (fileRead > current.length()) {
                        throw changed(current, fileRead);
                    }
                    window.flip();
                    return window;
                } else {
                    if (reader == null) {
                        reader = new StreamReader(current.stream());
                        reader.start();
                    }
                    ByteBuffer bytes = reader.take();
                    if (bytes == null) {
                        return WAIT;
                    }
                    if (bytes == StreamReader.END) {
                        reader = null;
                        segment++;
                        continue;
                    }
                    return bytes;
                }
            }
            return null;
        }

        private IOException changed(Segment current, long read) {
            return new IOException(String.format(
                    "The file %s changed while it was sent: %d bytes when the request " + "was prepared, %s now",
                    current.file(), current.length(), read > current.length() ? "more" : String.valueOf(read)));
        }

        private void closeFile() {
            if (file != null) {
                try {
                    file.close();
                } catch (IOException ignored) {
                    // read only: nothing was lost
                }
                file = null;
            }
        }

        @Override
        public void failed(Exception cause) {
            releaseResources();
        }

        /** Closes an open file and starts again from the first byte (a repeatable body may be sent again). */
        @Override
        public void releaseResources() {
            boolean reading = false;
            synchronized (this) {
                closeFile();
                if (reader != null) {
                    reading = reader.stop();
                    reader = null;
                }
                segment = 0;
                pending = null;
                done = false;
            }
            if (repeatable) {
                return;
            }
            // sent, or failed: a stream is read once. Closed here and now, unless a read of it is in progress: then
            // where it is read, not on this thread (the client's I/O thread, or the deadline's), since a stream's
            // close may wait for its read (and closing is what ends a read that waits)
            if (!reading) {
                closeStreams();
                return;
            }
            try {
                streamReader.execute(MultipartBody.this::closeStreams);
            } catch (RejectedExecutionException e) {
                closeStreams(); // the component is stopping
            }
        }

        /**
         * Reads one stream part on the executor, a window at a time, at most {@link #AHEAD} windows ahead of the
         * connection (besides the one being sent). A read task runs only while there is room: when the windows are full it ends, and taking one
         * starts the next, so no thread waits for a slow connection.
         */
        private final class StreamReader implements Runnable {

            static final ByteBuffer END = ByteBuffer.allocate(0);
            private static final int AHEAD = 2;
            private static final int SPINS_BEFORE_PAUSING = 64;
            private static final long EMPTY_READ_PAUSE_NANOS = 1_000_000;

            private final InputStream stream;
            private final ArrayDeque<ByteBuffer> read = new ArrayDeque<>();
            private boolean running;
            private boolean ended;
            private boolean stopped;
            private IOException failure;

            StreamReader(InputStream stream) {
                this.stream = stream;
            }

            void start() {
                synchronized (this) {
                    running = true;
                }
                submit();
            }

            private void submit() {
                try {
                    streamReader.execute(this);
                } catch (RejectedExecutionException e) {
                    synchronized (this) {
                        running = false;
                        failure = new IOException("the stream part could not be read: the component is stopping", e);
                    }
                    wakeConnection();
                }
            }

            synchronized boolean hasBytes() {
                return !read.isEmpty() || ended || failure != null;
            }

            /** The next window read, {@link #END} after the last, or null when none is read yet. */
            ByteBuffer take() throws IOException {
                ByteBuffer next;
                boolean resume = false;
                synchronized (this) {
                    if (!read.isEmpty()) {
                        next = read.poll();
                        if (!running && !ended && failure == null && !stopped) {
                            running = true;
                            resume = true;
                        }
                    } else if (failure != null) {
                        throw failure;
                    } else {
                        next = ended ? END : null;
                    }
                }
                if (resume) {
                    submit();
                }
                return next;
            }

            /** Stops reading; returns whether a read task is still queued or running. */
            synchronized boolean stop() {
                stopped = true;
                read.clear();
                return running;
            }

            @Override
            public void run() {
                int emptyReads = 0;
                while (true) {
                    synchronized (this) {
                        if (stopped || read.size() >= AHEAD) {
                            running = false;
                            return;
                        }
                    }
                    byte[] bytes = new byte[WINDOW];
                    int count;
                    IOException error = null;
                    try {
                        count = stream.read(bytes, 0, bytes.length);
                    } catch (IOException e) {
                        count = -1;
                        error = e;
                    } catch (RuntimeException e) {
                        // whatever the stream throws fails the call at once, not at its deadline
                        count = -1;
                        error = new IOException("the stream part failed: " + e, e);
                    } catch (Error e) {
                        synchronized (this) {
                            failure = new IOException("the stream part failed: " + e, e);
                            running = false;
                        }
                        wakeConnection();
                        throw e;
                    }
                    if (count == 0) {
                        // a stream that returns nothing without blocking (InputStream says it should block): read it
                        // again, after a millisecond's pause once it keeps doing so, so that it does not burn a core
                        // until the deadline stops the call
                        if (++emptyReads > SPINS_BEFORE_PAUSING) {
                            LockSupport.parkNanos(EMPTY_READ_PAUSE_NANOS);
                        } else {
                            Thread.onSpinWait();
                        }
                        continue;
                    }
                    emptyReads = 0;
                    synchronized (this) {
                        if (stopped) {
                            running = false;
                            return;
                        }
                        if (error != null) {
                            failure = error;
                        } else if (count < 0) {
                            ended = true;
                        } else {
                            read.add(ByteBuffer.wrap(bytes, 0, count));
                        }
                        if (failure != null || ended) {
                            running = false;
                        }
                    }
                    wakeConnection();
                    if (error != null || count < 0) {
                        return;
                    }
                }
            }

            private void wakeConnection() {
                DataStreamChannel connection = channel;
                if (connection != null) {
                    connection.requestOutput();
                }
            }
        }
    }
}
