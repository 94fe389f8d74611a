package dev.workflowhttp.app;

import java.util.List;

/**
 * Settings the application refuses to start with: one line per problem, each naming the key, the value, where it
 * was set and what is expected.
 */
public final class SettingsException extends RuntimeException {

    private final List<String> problems;

    public SettingsException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public SettingsException(String problem) {
        this(List.of(problem));
    }

    public List<String> problems() {
        return problems;
    }
}
