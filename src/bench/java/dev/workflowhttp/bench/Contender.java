package dev.workflowhttp.bench;

/**
 * One way of making an HTTP GET and getting its body whole. A blocking contender is driven by one thread per
 * concurrent call; a non-blocking one by callbacks, with no thread per call.
 */
interface Contender extends AutoCloseable {

    /** Reports one finished call: the body's length, or the error. */
    @FunctionalInterface
    interface Done {
        void done(long bodyBytes, Throwable error);
    }

    /** Short name, used in tables. */
    String name();

    boolean blocking();

    /** A blocking call; returns the body's length. */
    default long call(int bodySize) throws Exception {
        throw new UnsupportedOperationException(name() + " is not blocking");
    }

    /** Starts a call and returns at once; {@code done} runs on some other thread when the body was read whole. */
    default void start(int bodySize, Done done) {
        throw new UnsupportedOperationException(name() + " is blocking");
    }

    @Override
    default void close() throws Exception {}
}
