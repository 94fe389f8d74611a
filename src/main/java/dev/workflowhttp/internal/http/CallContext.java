package dev.workflowhttp.internal.http;

import dev.workflowhttp.internal.net.TargetPolicy;
import dev.workflowhttp.internal.scope.RealTimeoutScope;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * What one call leaves in the HTTP client's context for the step's links in the client's chain (target checks,
 * redirect rules, the deadline's phases, cancelling every stage): each under its own typed key, read back as its
 * type or not at all.
 */
public final class CallContext {

    /** A context attribute and the type of its value. */
    private record Key<T>(String name, Class<T> type) {
        void set(HttpContext context, T value) {
            context.setAttribute(name, value);
        }

        T get(HttpContext context) {
            Object value = context == null ? null : context.getAttribute(name);
            return type.isInstance(value) ? type.cast(value) : null;
        }
    }

    private static final Key<RealTimeoutScope> SCOPE = new Key<>("dev.workflowhttp.scope", RealTimeoutScope.class);
    private static final Key<HttpCall.Stages> STAGES = new Key<>("dev.workflowhttp.stages", HttpCall.Stages.class);
    private static final Key<TargetPolicy> POLICY = new Key<>("dev.workflowhttp.targetPolicy", TargetPolicy.class);
    private static final Key<RedirectTrail> REDIRECTS = new Key<>("dev.workflowhttp.redirects", RedirectTrail.class);
    private static final Key<String> URL = new Key<>("dev.workflowhttp.maskedUrl", String.class);

    private CallContext() {}

    /** Where the call may go, the rules its redirects follow, and its URL as it may be shown (masked). */
    public static void bindTarget(HttpContext context, TargetPolicy policy, RedirectTrail redirects, String maskedUrl) {
        POLICY.set(context, policy);
        REDIRECTS.set(context, redirects);
        URL.set(context, maskedUrl);
    }

    static void bindCall(HttpContext context, RealTimeoutScope scope, HttpCall.Stages stages) {
        SCOPE.set(context, scope);
        STAGES.set(context, stages);
    }

    /** The call's deadline, or null outside a call of the step. */
    static RealTimeoutScope scope(HttpContext context) {
        return SCOPE.get(context);
    }

    static HttpCall.Stages stages(HttpContext context) {
        return STAGES.get(context);
    }

    static TargetPolicy policy(HttpContext context) {
        return POLICY.get(context);
    }

    static RedirectTrail redirects(HttpContext context) {
        return REDIRECTS.get(context);
    }

    /** The call's URL, masked, or null. */
    static String maskedUrl(HttpContext context) {
        return URL.get(context);
    }
}
