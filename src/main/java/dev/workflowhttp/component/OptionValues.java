package dev.workflowhttp.component;

import java.time.Duration;

import dev.workflowhttp.BodyMode;
import dev.workflowhttp.internal.http.StatusCodes;
import dev.workflowhttp.internal.net.RestrictedNetworks;
import dev.workflowhttp.internal.util.Durations;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * Reads an option's value as its type, strictly. Camel's own conversions are lenient where a typo would change what
 * the step does: {@code timeout=banana} or {@code 5S} become 0 (no deadline at all), {@code 1h30} becomes 1h, a port
 * written {@code 5s} becomes 5000. Here each is refused, naming the option and the value.
 */
final class OptionValues {

    private OptionValues() {
    }

    /**
     * The value as {@code type}: a value already of that type as it is, text parsed.
     *
     * @throws IllegalArgumentException naming the option and the value
     */
    static Object parse(String option, Class<?> type, Object value) {
        if (value == null) {
            throw new IllegalArgumentException("Invalid value for option " + option + ": no value");
        }
        if (type == String.class) {
            return String.valueOf(value);
        }
        if (!type.isPrimitive() && type.isInstance(value)) {
            return value;
        }
        String text = String.valueOf(value).trim();
        if (type == Duration.class) {
            return Durations.parse(option, value);
        }
        if (type == boolean.class || type == Boolean.class) {
            return parseBoolean(option, value, text);
        }
        if (type == int.class || type == Integer.class) {
            long number = parseWhole(option, value, text);
            if (number < Integer.MIN_VALUE || number > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(String.format(
                        "Invalid value for option %s: '%s' (expected a whole number)", option, text));
            }
            return (int) number;
        }
        if (type == long.class || type == Long.class) {
            return parseWhole(option, value, text);
        }
        if (type == BodyMode.class) {
            return BodyMode.parse(option, text);
        }
        if (type == StatusCodes.class) {
            return StatusCodes.parse(option, text);
        }
        if (type == RetryBackoff.class) {
            return RetryBackoff.parse(option, text);
        }
        if (type == RestrictedNetworks.class) {
            return RestrictedNetworks.parse(option, text);
        }
        if (type == SSLContextParameters.class) {
            throw new IllegalArgumentException(String.format(
                    "Invalid value for option %s: expected a #bean reference to an SSLContextParameters, got %s",
                    option, value instanceof String ? "'" + value + "'" : value.getClass().getName()));
        }
        throw new IllegalArgumentException(String.format("Invalid value for option %s: %s is not a %s", option,
                value.getClass().getName(), type.getName()));
    }

    private static boolean parseBoolean(String option, Object value, String text) {
        if (value instanceof Boolean flag) {
            return flag;
        }
        if ("true".equalsIgnoreCase(text)) {
            return true;
        }
        if ("false".equalsIgnoreCase(text)) {
            return false;
        }
        throw new IllegalArgumentException(String.format(
                "Invalid value for option %s: '%s' (expected true or false)", option, text));
    }

    private static long parseWhole(String option, Object value, String text) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(String.format(
                    "Invalid value for option %s: '%s' (expected a whole number)", option, text));
        }
    }
}
