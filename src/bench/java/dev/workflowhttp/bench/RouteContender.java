package dev.workflowhttp.bench;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;

/**
 * A {@code direct:} route whose step makes the call, called through a {@link ProducerTemplate}: blocking with
 * {@code send}, or non-blocking with {@code asyncSend} on a template that is not threaded.
 */
final class RouteContender implements Contender {

    /** No body, so both HTTP components send a GET. */
    private static final Processor EMPTY_GET = exchange -> {};

    private final String name;
    private final boolean blocking;
    private final ProducerTemplate template;
    private final Map<Integer, Endpoint> endpoints;

    RouteContender(String name, boolean blocking, ProducerTemplate template, Map<Integer, Endpoint> endpoints) {
        this.name = name;
        this.blocking = blocking;
        this.template = template;
        this.endpoints = endpoints;
    }

    /** The endpoints {@code direct:<prefix>-<size>}, by body size. */
    static Map<Integer, Endpoint> endpoints(CamelContext camel, String prefix, int... bodySizes) {
        Map<Integer, Endpoint> endpoints = new HashMap<>();
        for (int size : bodySizes) {
            endpoints.put(size, camel.getEndpoint("direct:" + prefix + "-" + size));
        }
        return endpoints;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean blocking() {
        return blocking;
    }

    @Override
    public long call(int bodySize) throws Exception {
        Exchange result = template.send(endpoint(bodySize), EMPTY_GET);
        if (result.getException() != null) {
            throw result.getException();
        }
        return Contenders.bodyBytes(result);
    }

    @Override
    public void start(int bodySize, Done done) {
        send(bodySize).whenComplete((result, error) -> {
            if (error != null) {
                done.done(-1, error);
            } else if (result.getException() != null) {
                done.done(-1, result.getException());
            } else {
                done.done(Contenders.bodyBytes(result), null);
            }
        });
    }

    /** Starts one exchange; the future completes when the route is done with it, failed or not. */
    java.util.concurrent.CompletableFuture<Exchange> send(int bodySize) {
        return template.asyncSend(endpoint(bodySize), EMPTY_GET);
    }

    private Endpoint endpoint(int bodySize) {
        Endpoint endpoint = endpoints.get(bodySize);
        if (endpoint == null) {
            throw new IllegalArgumentException(name + " has no route for bodies of " + bodySize + " bytes");
        }
        return endpoint;
    }

    @Override
    public void close() throws IOException {
        template.close();
    }
}
