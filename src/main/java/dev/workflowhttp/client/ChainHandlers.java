package dev.workflowhttp.client;

import java.net.InetAddress;
import java.net.UnknownHostException;

import dev.workflowhttp.Phase;
import dev.workflowhttp.WorkflowHttpRestrictedNetworkException;
import dev.workflowhttp.net.RestrictedNetworks;
import dev.workflowhttp.scope.TimeoutScope;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.client5.http.async.AsyncExecChainHandler;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.concurrent.CancellableDependency;
import org.apache.hc.core5.http.HttpHost;

/**
 * The step's links in the HTTP client's execution chain, around its connect step: before it, the
 * {@code restrictedNetworks} check of the hop's target (every redirect hop passes here too); after it, the scope
 * leaves the {@code CONNECT} phase.
 */
public final class ChainHandlers {

    /** The context attribute holding the call's {@link RestrictedNetworks} policy. */
    public static final String POLICY_ATTRIBUTE = "dev.workflowhttp.restrictedNetworks";

    private ChainHandlers() {
    }

    public static AsyncExecChainHandler beforeConnect() {
        return (request, entityProducer, chainScope, chain, callback) -> {
            Object policy = chainScope.clientContext.getAttribute(POLICY_ATTRIBUTE);
            Object scope = chainScope.clientContext.getAttribute(HttpCall.SCOPE_ATTRIBUTE);
            if (policy instanceof RestrictedNetworks networks && networks != RestrictedNetworks.NONE) {
                HttpHost target = chainScope.route.getTargetHost();
                String url = scope instanceof TimeoutScope timeoutScope ? timeoutScope.getDescription() : target.toURI();
                InetAddress[] addresses = target.getAddress() != null ? new InetAddress[] {target.getAddress()}
                        : resolve(target.getHostName());
                for (InetAddress address : addresses) {
                    String rule = networks.refusedBy(address);
                    if (rule != null) {
                        throw new BodyAbortedException(new WorkflowHttpRestrictedNetworkException(url,
                                target.getHostName(), address.getHostAddress(), rule));
                    }
                }
            }
            chain.proceed(request, entityProducer, chainScope, callback);
        };
    }

    public static AsyncExecChainHandler afterConnect() {
        return (request, entityProducer, chainScope, chain, callback) -> {
            Object scope = chainScope.clientContext.getAttribute(HttpCall.SCOPE_ATTRIBUTE);
            if (scope instanceof TimeoutScope timeoutScope) {
                timeoutScope.enterPhase(Phase.HEADERS);
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
            Object registered = chainScope.clientContext.getAttribute(HttpCall.STAGES_ATTRIBUTE);
            if (!(registered instanceof HttpCall.Stages stages)) {
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
            chain.proceed(request, entityProducer, new AsyncExecChain.Scope(chainScope.exchangeId, chainScope.route,
                    chainScope.originalRequest, tracked, chainScope.clientContext, chainScope.execRuntime,
                    chainScope.scheduler, chainScope.execCount), callback);
        };
    }

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        return InetAddress.getAllByName(host);
    }
}
