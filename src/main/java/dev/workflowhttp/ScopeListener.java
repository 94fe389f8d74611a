package dev.workflowhttp;

/**
 * Told once when a scope is released, with the state it had reached before.
 */
@FunctionalInterface
public interface ScopeListener {

    void released(TimeoutScope scope, TimeoutScope.State finalState);
}
