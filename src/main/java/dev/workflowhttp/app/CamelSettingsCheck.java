package dev.workflowhttp.app;

import dev.workflowhttp.component.WorkflowHttpComponent;
import dev.workflowhttp.internal.util.Spelling;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.camel.CamelContext;
import org.apache.camel.main.HttpManagementServerConfigurationProperties;
import org.apache.camel.main.HttpServerConfigurationProperties;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.main.MetricsConfigurationProperties;
import org.apache.camel.util.ObjectHelper;
import org.apache.camel.util.StringHelper;

/**
 * Checks the {@code camel.*} keys the application's configuration uses before Camel binds them, because Camel reads
 * some bad values silently ({@code camel.main.shutdownTimeout = abc} becomes 0, which means the 45 s default) and
 * refuses others without naming the key ({@code For input string: "lots"}). Each key of a checked group must be an
 * option of its group and its value must convert to the option's type; other {@code camel.*} keys are left to Camel.
 */
final class CamelSettingsCheck {

    /** The checked groups: key prefix → the class Camel binds its options on. */
    private static final Map<String, Class<?>> GROUPS = new LinkedHashMap<>();

    static {
        GROUPS.put("camel.main.", MainConfigurationProperties.class);
        GROUPS.put("camel.management.", HttpManagementServerConfigurationProperties.class);
        GROUPS.put("camel.server.", HttpServerConfigurationProperties.class);
        GROUPS.put("camel.metrics.", MetricsConfigurationProperties.class);
        GROUPS.put("camel.component.workflow-http.", WorkflowHttpComponent.class);
    }

    private CamelSettingsCheck() {}

    /** One line per unknown key or value of the wrong type; empty when all is well. */
    static List<String> check(CamelContext context, SettingSources sources) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Class<?>> group : GROUPS.entrySet()) {
            String prefix = group.getKey();
            Map<String, Method> options = options(group.getValue());
            for (String key : new TreeSet<>(sources.keysStartingWith(prefix))) {
                String option = key.substring(prefix.length());
                if (option.contains(".")) {
                    continue; // a nested option: Camel checks those itself
                }
                Method setter = options.get(StringHelper.dashToCamelCase(option).toLowerCase(Locale.ROOT));
                if (setter == null) {
                    List<String> names = options.values().stream()
                            .map(CamelSettingsCheck::optionName)
                            .toList();
                    String near = Spelling.nearest(StringHelper.dashToCamelCase(option), names, 3);
                    problems.add(String.format(
                            "unknown key %s (%s)%s",
                            key,
                            sources.describe(key),
                            near == null
                                    ? ": not an option of " + group.getValue().getSimpleName()
                                    : ": did you mean " + prefix + near + "?"));
                    continue;
                }
                String value = sources.value(key).map(String::trim).orElse("");
                String flaw = flaw(context, setter.getParameterTypes()[0], value);
                if (flaw != null) {
                    problems.add(
                            String.format("%s = %s (%s): %s", key, shown(key, value), sources.describe(key), flaw));
                }
            }
        }
        return problems;
    }

    /** Lower-case option name → its setter, for the public setters of one value. */
    private static Map<String, Method> options(Class<?> type) {
        Map<String, Method> options = new LinkedHashMap<>();
        for (Method method : type.getMethods()) {
            if (method.getName().length() > 3
                    && method.getName().startsWith("set")
                    && method.getParameterCount() == 1
                    && !Modifier.isStatic(method.getModifiers())) {
                options.putIfAbsent(optionName(method).toLowerCase(Locale.ROOT), method);
            }
        }
        return options;
    }

    private static String optionName(Method setter) {
        String name = setter.getName().substring(3);
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    /** Why {@code value} is not of {@code type}, or null; only simple types are checked (a bean reference is not). */
    private static String flaw(CamelContext context, Class<?> type, String value) {
        if (value.startsWith("#")) {
            return null;
        }
        Class<?> boxed = ObjectHelper.convertPrimitiveTypeToWrapperType(type);
        if (boxed == Boolean.class) {
            return AppSettings.isBooleanText(value) ? null : "not a boolean; expected true or false";
        }
        if (Number.class.isAssignableFrom(boxed) || boxed.isEnum()) {
            try {
                context.getTypeConverter().mandatoryConvertTo(boxed, value);
                return null;
            } catch (Exception e) {
                return boxed.isEnum()
                        ? "expected one of " + Arrays.toString(boxed.getEnumConstants())
                        : "not a number; expected " + describe(boxed);
            }
        }
        return null;
    }

    private static String describe(Class<?> number) {
        return number == Integer.class || number == Long.class || number == Short.class || number == Byte.class
                ? "a whole number"
                : "a number";
    }

    private static String shown(String key, String value) {
        String lower = key.toLowerCase(Locale.ROOT);
        boolean secret = lower.contains("password") || lower.contains("secret") || lower.contains("token");
        return secret && !value.isEmpty() ? "xxxxxx" : value.isEmpty() ? "(empty)" : value;
    }
}
