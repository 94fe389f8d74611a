package dev.workflowhttp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.camel.Exchange;

/**
 * Walks a body line by line for Camel's {@code split}, loudly: a read that fails (deadline passed, body cut off,
 * body too large) fails the split with that error among the causes, never ends it as if the body were complete.
 * Lines of any length are read whole.
 * <p>
 * In a YAML route: {@code split: { method: { beanType: dev.workflowhttp.Lines, method: of }, streaming: true }}.
 */
public final class Lines {

    private Lines() {}

    /** The lines of the exchange's body ({@code InputStream}, {@code byte[]} or text), UTF-8, without line ends. */
    public static Iterator<String> of(Exchange exchange) {
        InputStream in = exchange.getMessage().getBody(InputStream.class);
        if (in == null) {
            return java.util.Collections.emptyIterator();
        }
        return of(in);
    }

    public static Iterator<String> of(InputStream in) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 64 * 1024);
        return new Iterator<>() {
            private String next;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                if (done) {
                    return false;
                }
                try {
                    next = reader.readLine();
                } catch (IOException e) {
                    done = true;
                    throw new UncheckedIOException("reading the body's lines failed: " + e.getMessage(), e);
                }
                if (next == null) {
                    done = true;
                    closeQuietly();
                }
                return next != null;
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                String line = next;
                next = null;
                return line;
            }

            private void closeQuietly() {
                try {
                    reader.close();
                } catch (IOException ignored) {
                    // the body has ended: nothing left to lose
                }
            }
        };
    }
}
