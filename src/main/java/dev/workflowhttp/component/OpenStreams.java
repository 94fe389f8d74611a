package dev.workflowhttp.component;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.SafeCopyProperty;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * The streamed bodies ({@code bodyMode=stream}) one exchange received and has not yet read to their end or closed;
 * the exchange's one on-completion hook releases them when it completes, at the latest.
 * <p>
 * One hook per exchange, not one per call: a loop of a million calls in one exchange adds one hook, and an entry only
 * while a stream is open. It lives in a Camel safe-copy property, so it is not among the properties a route sees or
 * sends on. Camel copies such properties to the copies it makes (split, multicast, wire tap, loop copies) and back
 * with a branch's result; each registry knows the exchange it belongs to, and a copy starts its own, remembering the
 * one it came from, so an exchange always finds its own.
 */
final class OpenStreams extends SynchronizationAdapter implements SafeCopyProperty {

    static final String KEY = "CamelWorkflowHttpOpenStreams";

    private final String exchangeId;
    private final OpenStreams inherited;
    /** Guarded by this. */
    private final List<StreamRef> streams = new ArrayList<>(2);

    private OpenStreams(String exchangeId, OpenStreams inherited) {
        this.exchangeId = exchangeId;
        this.inherited = inherited;
    }

    /** The exchange's own registry, or null when it has not streamed a body yet. */
    static OpenStreams find(Exchange exchange) {
        OpenStreams found = exchange.getExchangeExtension().getSafeCopyProperty(KEY, OpenStreams.class);
        String id = exchange.getExchangeId();
        while (found != null && !found.exchangeId.equals(id)) {
            found = found.inherited;
        }
        return found;
    }

    /** The exchange's own registry, created (with its on-completion hook) on first use. */
    static OpenStreams of(Exchange exchange) {
        OpenStreams found = find(exchange);
        if (found != null) {
            return found;
        }
        OpenStreams current = exchange.getExchangeExtension().getSafeCopyProperty(KEY, OpenStreams.class);
        OpenStreams created = new OpenStreams(exchange.getExchangeId(), current);
        exchange.getExchangeExtension().setSafeCopyProperty(KEY, created);
        exchange.getExchangeExtension().addOnCompletion(created);
        return created;
    }

    synchronized void add(StreamRef stream) {
        streams.removeIf(StreamRef::released);
        streams.add(stream);
    }

    /**
     * Releases the streams of earlier calls that the route dropped unread: no longer the message body, nor the value
     * of a header, property or variable of this exchange (or no longer reachable at all).
     *
     * @return those released by this call while still unread
     */
    List<StreamRef> releaseDropped(Exchange exchange) {
        List<StreamRef> dropped = null;
        synchronized (this) {
            for (Iterator<StreamRef> it = streams.iterator(); it.hasNext(); ) {
                StreamRef stream = it.next();
                if (stream.released()) {
                    it.remove();
                    continue;
                }
                Object body = stream.get();
                if (body == null || !holds(exchange, body)) {
                    it.remove();
                    if (dropped == null) {
                        dropped = new ArrayList<>(2);
                    }
                    dropped.add(stream);
                }
            }
        }
        if (dropped == null) {
            return List.of();
        }
        List<StreamRef> released = new ArrayList<>(dropped.size());
        for (StreamRef stream : dropped) {
            if (stream.releaseUnread("the route dropped the streamed body unread (it was no longer the message body, a "
                    + "header, a property or a variable when the exchange made its next workflow-http call)")) {
                released.add(stream);
            }
        }
        return released;
    }

    private static boolean holds(Exchange exchange, Object body) {
        Message message = exchange.getMessage();
        if (message.getBody() == body
                || containsValue(message.getHeaders(), body)
                || containsValue(exchange.getProperties(), body)) {
            return true;
        }
        return exchange.hasVariables() && containsValue(exchange.getVariables(), body);
    }

    private static boolean containsValue(Map<String, Object> values, Object body) {
        for (Object value : values.values()) {
            if (value == body) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void onDone(Exchange exchange) {
        List<StreamRef> open;
        synchronized (this) {
            open = new ArrayList<>(streams);
            streams.clear();
        }
        for (StreamRef stream : open) {
            stream.scope()
                    .release("the exchange that made the call completed (a split, multicast, recipient list or "
                            + "wire tap branch completes when its own steps end)");
        }
    }

    /** Camel's copies keep a link to this registry; {@link #find} tells them apart by exchange id. */
    @Override
    public SafeCopyProperty safeCopy() {
        return this;
    }

    @Override
    public String toString() {
        return "OpenStreams[" + exchangeId + "]";
    }
}
