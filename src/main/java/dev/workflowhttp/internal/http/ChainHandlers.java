package dev.workflowhttp.internal.http;

import dev.workflowhttp.Phase;
import dev.workflowhttp.WorkflowHttpRestrictedNetworkException;
import dev.workflowhttp.internal.net.HostRules;
import dev.workflowhttp.internal.net.TargetPolicy;
import dev.workflowhttp.internal.scope.RealTimeoutScope;
import dev.workflowhttp.internal.util.CredentialHeaders;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.client5.http.async.AsyncExecChainHandler;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.concurrent.CancellableDependency;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;

/**
 * The step's links in the HTTP client's execution chain, around its connect step: before it, the check of the hop's
 * target against the call's {@link TargetPolicy} (every redirect hop passes here too), and the pinning of the
 * connection to the address that was checked; after it, the scope leaves the {@code CONNECT} phase.
 */
public final class ChainHandlers {

    private ChainHandlers() {}

    /**
     * Checks the hop's target by name, resolves it with {@code dns}, checks every address, and then sends the
     * connection to the first address checked rather than let the client resolve the name again: a second answer
     * (DNS rebinding) could point elsewhere. The pinned target keeps the host name, so TLS (SNI, certificate
     * checks) and the {@code Host} header still use the name.
     * <p>
     * Through a proxy the proxy resolves the target: its addresses are looked up here only when the policy needs
     * them, and the connection goes to the proxy, which the policy does not judge (it is configuration, not data).
     */
    public static AsyncExecChainHandler beforeConnect(DnsResolver dns) {
        return (request, entityProducer, chainScope, chain, callback) -> {
            maskCredentialHeaders(request);
            RealTimeoutScope callScope = CallContext.scope(chainScope.clientContext);
            if (callScope != null && callScope.getPhase() != Phase.CONNECT) {
                // a redirect hop: its lease, lookup, connect and TLS are a CONNECT phase of their own
                callScope.reenterConnect();
            }
            TargetPolicy policy = CallContext.policy(chainScope.clientContext);
            if (policy == null) {
                leaseRequested(callScope);
                chain.proceed(request, entityProducer, chainScope, callback);
                return;
            }
            HttpRoute route = chainScope.route;
            HttpHost target = route.getTargetHost();
            String host = target.getHostName();
            String url = urlOf(chainScope);
            TargetPolicy.Refusal refusal = policy.checkName(host);
            if (refusal != null) {
                throw refused(url, host, refusal);
            }
            boolean viaProxy = route.getProxyHost() != null;
            if (viaProxy && !policy.needsAddresses()) {
                leaseRequested(callScope);
                chain.proceed(request, entityProducer, chainScope, callback);
                return;
            }
            InetAddress[] addresses =
                    target.getAddress() != null ? new InetAddress[] {target.getAddress()} : resolve(dns, host);
            for (InetAddress address : addresses) {
                refusal = policy.checkAddress(host, address);
                if (refusal != null) {
                    throw refused(url, host, refusal);
                }
            }
            leaseRequested(callScope);
            if (viaProxy || target.getAddress() != null) {
                chain.proceed(request, entityProducer, chainScope, callback);
                return;
            }
            HttpHost pinned = new HttpHost(target.getSchemeName(), addresses[0], host, target.getPort());
            HttpRoute pinnedRoute =
                    new HttpRoute(pinned, route.getTargetName(), route.getLocalAddress(), route.isSecure());
            chain.proceed(
                    request,
                    entityProducer,
                    new AsyncExecChain.Scope(
                            chainScope.exchangeId,
                            pinnedRoute,
                            chainScope.originalRequest,
                            chainScope.cancellableDependency,
                            chainScope.clientContext,
                            chainScope.execRuntime,
                            chainScope.scheduler,
                            chainScope.execCount),
                    callback);
        };
    }

    /** The hop is checked and resolved: what follows is the wait for a pooled connection (or a new one). */
    private static void leaseRequested(RealTimeoutScope scope) {
        if (scope != null) {
            scope.leaseRequested();
        }
    }

    public static AsyncExecChainHandler afterConnect() {
        return (request, entityProducer, chainScope, chain, callback) -> {
            RealTimeoutScope scope = CallContext.scope(chainScope.clientContext);
            if (scope != null) {
                scope.enterPhase(Phase.HEADERS);
            }
            chain.proceed(request, entityProducer, chainScope, callback);
        };
    }

    /**
     * First in the chain: lets the call cancel every stage the chain sets on the client's future, not only the one
     * the future happens to keep.
     */
    public static AsyncExecChainHandler trackStages() {
        return (request, entityProducer, chainScope, chain, callback) -> {
            HttpCall.Stages stages = CallContext.stages(chainScope.clientContext);
            if (stages == null) {
                chain.proceed(request, entityProducer, chainScope, callback);
                return;
            }
            CancellableDependency future = chainScope.cancellableDependency;
            CancellableDependency tracked = new CancellableDependency() {
                @Override
                public void setDependency(Cancellable dependency) {
                    future.setDependency(dependency);
                    stages.add(dependency);
                }

                @Override
                public boolean isCancelled() {
                    return future.isCancelled();
                }

                @Override
                public boolean cancel() {
                    return future.cancel();
                }
            };
            chain.proceed(
                    request,
                    entityProducer,
                    new AsyncExecChain.Scope(
                            chainScope.exchangeId,
                            chainScope.route,
                            chainScope.originalRequest,
                            tracked,
                            chainScope.clientContext,
                            chainScope.execRuntime,
                            chainScope.scheduler,
                            chainScope.execCount),
                    callback);
        };
    }

    /**
     * The client logs request headers with their {@code toString()} (at DEBUG): credentials it added itself (the
     * proxy's, on a plain http request) are shown masked like the step's own.
     */
    private static void maskCredentialHeaders(HttpRequest request) {
        for (Header header : request.getHeaders()) {
            if (!(header instanceof SecretHeader) && CredentialHeaders.isCredential(header.getName())) {
                request.removeHeader(header);
                request.addHeader(new SecretHeader(header.getName(), header.getValue()));
            }
        }
    }

    private static InetAddress[] resolve(DnsResolver dns, String host) throws UnknownHostException {
        InetAddress literal = HostRules.literal(host);
        if (literal != null) {
            return new InetAddress[] {literal};
        }
        InetAddress[] addresses = dns.resolve(host);
        if (addresses == null || addresses.length == 0) {
            throw new UnknownHostException(host);
        }
        return addresses;
    }

    private static String urlOf(AsyncExecChain.Scope chainScope) {
        String url = CallContext.maskedUrl(chainScope.clientContext);
        return url != null ? url : chainScope.route.getTargetHost().toURI();
    }

    private static BodyAbortedException refused(String url, String host, TargetPolicy.Refusal refusal) {
        return new BodyAbortedException(new WorkflowHttpRestrictedNetworkException(
                url, HostRules.normalize(host), refusal.rule(), refusal.reason()));
    }
}
