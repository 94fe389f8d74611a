package dev.workflowhttp.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;

/**
 * A {@code multipart/form-data} body (RFC 7578) sent as it is produced: text and byte parts from memory, files read
 * from disk and streams read a window at a time as the connection takes them, so a file larger than the heap is
 * sent without being held. A body without stream parts is repeatable (a retry or a digest challenge sends it again,
 * files read afresh) and has a known length, sent as {@code Content-Length}; one with a stream part is sent once,
 * chunked.
 */
public final class MultipartBody {

    private static final int WINDOW = 64 * 1024;
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
    public record Part(String name, String filename, String contentType, Object content) {
    }

    /** A piece of the body: bytes, a file of a known length, or a stream. */
    private record Segment(byte[] bytes, Path file, long length, InputStream stream) {
    }

    private final String boundary;
    private final List<Segment> segments;
    private final long length;
    private final boolean repeatable;

    private MultipartBody(String boundary, List<Segment> segments, long length, boolean repeatable) {
        this.boundary = boundary;
        this.segments = segments;
        this.length = length;
        this.repeatable = repeatable;
    }

    /**
     * @param lengths the length of each {@code Path} part, in order, as found when the request was prepared
     */
    public static MultipartBody of(List<Part> parts, List<Long> lengths) {
        String boundary = newBoundary();
        List<Segment> segments = new ArrayList<>();
        long length = 0;
        boolean repeatable = true;
        int files = 0;
        StringBuilder head = new StringBuilder();
        for (Part part : parts) {
            head.append("--").append(boundary).append("\r\n")
                    .append("Content-Disposition: form-data; name=\"").append(quoted(part.name())).append('"');
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
                throw new IllegalArgumentException("Unsupported part content " + part.content().getClass().getName());
            }
            head.append("\r\n");
        }
        head.append("--").append(boundary).append("--\r\n");
        byte[] tail = head.toString().getBytes(StandardCharsets.UTF_8);
        segments.add(new Segment(tail, null, tail.length, null));
        length += tail.length;
        return new MultipartBody(boundary, List.copyOf(segments), repeatable ? length : -1, repeatable);
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
            return done ? 0 : Integer.MAX_VALUE;
        }

        @Override
        public synchronized void produce(DataStreamChannel channel) throws IOException {
            while (!done) {
                if (pending != null && pending.hasRemaining()) {
                    channel.write(pending);
                    if (pending.hasRemaining()) {
                        return; // the connection takes no more now: called again when it does
                    }
                }
                pending = next();
                if (pending == null) {
                    done = true;
                    channel.endStream();
                }
            }
        }

        /** The next piece to send, or null when the body is complete. */
        private ByteBuffer next() throws IOException {
            while (segment < segments.size()) {
                Segment current = segments.get(segment);
                if (current.bytes() != null) {
                    segment++;
                    return ByteBuffer.wrap(current.bytes());
                }
                if (window == null) {
                    window = ByteBuffer.allocate(WINDOW);
                }
                window.clear();
                if (current.file() != null) {
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
                } else {
                    int read = current.stream().read(window.array(), 0, window.capacity());
                    if (read < 0) {
                        segment++;
                        continue;
                    }
                    window.limit(read);
                }
                return window;
            }
            return null;
        }

        private IOException changed(Segment current, long read) {
            return new IOException(String.format("The file %s changed while it was sent: %d bytes when the request "
                    + "was prepared, %s now", current.file(), current.length(),
                    read > current.length() ? "more" : String.valueOf(read)));
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
        public synchronized void releaseResources() {
            closeFile();
            if (!repeatable) {
                closeStreams(); // sent, or failed: a stream is read once
            }
            segment = 0;
            pending = null;
            done = false;
        }
    }
}
