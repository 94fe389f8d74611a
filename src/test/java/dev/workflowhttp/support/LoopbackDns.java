package dev.workflowhttp.support;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.DnsResolver;

/**
 * A name resolver for made-up names, answering only with loopback addresses and never asking a real DNS server.
 * A name can be given several answers in turn (the last one repeats), as a rebinding DNS server would.
 */
public final class LoopbackDns implements DnsResolver {

    private final Map<String, Deque<InetAddress>> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();

    /** {@code name} resolves to {@code first}, then to each of {@code then} in turn. */
    public LoopbackDns answer(String name, String first, String... then) {
        Deque<InetAddress> queue = new ArrayDeque<>();
        queue.add(loopback(first));
        for (String next : then) {
            queue.add(loopback(next));
        }
        answers.put(name.toLowerCase(Locale.ROOT), queue);
        return this;
    }

    /** How many times {@code name} was resolved. */
    public int lookups(String name) {
        AtomicInteger count = lookups.get(name.toLowerCase(Locale.ROOT));
        return count == null ? 0 : count.get();
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        String name = host.toLowerCase(Locale.ROOT);
        lookups.computeIfAbsent(name, key -> new AtomicInteger()).incrementAndGet();
        Deque<InetAddress> queue = answers.get(name);
        if (queue == null && (name.equals("127.0.0.1") || name.equals("localhost"))) {
            // a proxy or server named by its address still goes through the resolver
            return new InetAddress[] {InetAddress.getLoopbackAddress()};
        }
        if (queue == null) {
            throw new UnknownHostException(host + " (not a name this test resolves)");
        }
        synchronized (queue) {
            return new InetAddress[] {queue.size() > 1 ? queue.poll() : queue.peek()};
        }
    }

    @Override
    public String resolveCanonicalHostname(String host) {
        return host;
    }

    private static InetAddress loopback(String address) {
        try {
            InetAddress parsed = InetAddress.getByName(address);
            if (!parsed.isLoopbackAddress()) {
                throw new IllegalArgumentException(
                        address + " is not a loopback address: tests reach only 127.0.0.0/8");
            }
            return parsed;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
