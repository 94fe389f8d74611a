/**
 * Per-origin traffic control: a rate ({@code rateLimit}, a Bucket4j token bucket) and a number of calls in flight
 * ({@code maxConcurrent}) per origin (scheme, host, port), pauses learned from a server's {@code Retry-After}, and an
 * instance's share of a limit held by a cluster.
 * <p>
 * {@link dev.workflowhttp.internal.limit.OriginLimiters} holds one
 * {@link dev.workflowhttp.internal.limit.OriginLimiter} per declared origin for a component; a call asks its
 * limiter for admission with a callback and is answered with a {@link dev.workflowhttp.internal.limit.Permit} once it
 * holds a token and a slot. Waiting holds no thread: the queue's head has at most one wake-up on the component's
 * {@link dev.workflowhttp.internal.scope.DeadlineScheduler}, and none while it waits for a slot (a release admits
 * it). Callers are served in arrival order. A caller whose deadline passes while it waits cancels its
 * {@link dev.workflowhttp.internal.limit.Ticket} and leaves nothing behind.
 * <p>
 * The rate's burst is 1 unless written ({@code 10/s burst 20}): see {@link dev.workflowhttp.internal.limit.RateLimit}
 * for the bound it gives in every window. Figures for meters and health are plain getters on each limiter; this
 * package depends on no meter library.
 */
package dev.workflowhttp.internal.limit;
