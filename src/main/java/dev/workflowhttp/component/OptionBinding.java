package dev.workflowhttp.component;

import dev.workflowhttp.Durations;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.ExtendedPropertyConfigurerGetter;
import org.apache.camel.spi.GeneratedPropertyConfigurer;
import org.apache.camel.util.ObjectHelper;

/**
 * Binds option values through Camel's configurers generated from the {@code @UriParams} groups (committed under
 * {@code src/generated/java}): an endpoint's from its URI, one exchange's from its {@code CamelWorkflowHttp<Option>}
 * headers. The option names, their types and which group holds each come from those configurers, the secret flags
 * from the generated URI factory, so there is no list of options to keep beside the annotated fields.
 *
 * <p>Before a configurer converts a text, it is read strictly for the types Camel's converters read leniently where a
 * typo would change what the step does: {@code timeout=banana} or {@code 5S} would become 0 (no deadline at all),
 * {@code 1h30} 1h, a port written {@code 5s} 5000, and {@code followRedirects=yes} would fail without naming the
 * option. Each of these is refused naming the option and the value; every other check is the setter's own.
 */
final class OptionBinding {

    /** One {@code @UriParams} group: a fresh one, how to reach it in a configuration, and its generated configurer. */
    private record Group(
            Supplier<OptionGroup> fresh,
            Function<WorkflowHttpConfiguration, OptionGroup> of,
            GeneratedPropertyConfigurer configurer) {}

    /** One option: its name, the type its setter takes, its group, and whether only the endpoint may set it. */
    private record Option(String name, Class<?> type, Group group, boolean endpointOnly) {}

    private static final List<Group> GROUPS = List.of(
            new Group(CallOptions::new, WorkflowHttpConfiguration::getCall, new CallOptionsConfigurer()),
            new Group(RedirectOptions::new, WorkflowHttpConfiguration::getRedirects, new RedirectOptionsConfigurer()),
            new Group(NetworkOptions::new, WorkflowHttpConfiguration::getNetwork, new NetworkOptionsConfigurer()),
            new Group(AuthOptions::new, WorkflowHttpConfiguration::getAuth, new AuthOptionsConfigurer()),
            new Group(OAuth2Options::new, WorkflowHttpConfiguration::getOauth2, new OAuth2OptionsConfigurer()),
            new Group(ProxyOptions::new, WorkflowHttpConfiguration::getProxy, new ProxyOptionsConfigurer()),
            new Group(RetryOptions::new, WorkflowHttpConfiguration::getRetry, new RetryOptionsConfigurer()),
            new Group(PollingOptions::new, WorkflowHttpConfiguration::getPolling, new PollingOptionsConfigurer()),
            new Group(
                    PaginationOptions::new,
                    WorkflowHttpConfiguration::getPagination,
                    new PaginationOptionsConfigurer()),
            new Group(LimitOptions::new, WorkflowHttpConfiguration::getLimits, new LimitOptionsConfigurer()));

    private static final Map<String, Option> OPTIONS = index();

    private OptionBinding() {}

    // not through a WorkflowHttpConfiguration, whose own initialization reads these names
    private static Map<String, Option> index() {
        Map<String, Option> options = new LinkedHashMap<>();
        for (Group group : GROUPS) {
            OptionGroup instance = group.fresh().get();
            Map<String, Object> types = ((ExtendedPropertyConfigurerGetter) group.configurer()).getAllOptions(instance);
            for (Map.Entry<String, Object> option : types.entrySet()) {
                // named after the setter there (BodyMode): the option is the property (bodyMode)
                String name = Character.toLowerCase(option.getKey().charAt(0))
                        + option.getKey().substring(1);
                options.put(
                        name,
                        new Option(name, (Class<?>) option.getValue(), group, endpointOnly(instance.getClass(), name)));
            }
        }
        return options;
    }

    private static boolean endpointOnly(Class<?> group, String name) {
        try {
            return group.getDeclaredField(name).isAnnotationPresent(EndpointOnly.class);
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("Option " + name + " of " + group.getSimpleName() + " has no field", e);
        }
    }

    static List<String> names() {
        return List.copyOf(OPTIONS.keySet());
    }

    static Set<String> secretNames() {
        Set<String> secret = new LinkedHashSet<>(new WorkflowHttpEndpointUriFactory().secretPropertyNames());
        secret.retainAll(OPTIONS.keySet());
        return Collections.unmodifiableSet(secret);
    }

    static Set<String> endpointOnlyNames() {
        return OPTIONS.values().stream()
                .filter(Option::endpointOnly)
                .map(Option::name)
                .collect(Collectors.toUnmodifiableSet());
    }

    static boolean isOption(String name) {
        return OPTIONS.containsKey(name);
    }

    /**
     * Moves the options among {@code parameters} (an endpoint URI's) onto {@code configuration}; the parameters that
     * are not options stay in the map. {@code #bean} references are looked up by the configurers, as Camel does.
     *
     * @throws IllegalArgumentException naming the option and the value when a value is invalid
     */
    static void bindUri(CamelContext context, WorkflowHttpConfiguration configuration, Map<String, Object> parameters) {
        for (Option option : OPTIONS.values()) {
            if (parameters.containsKey(option.name())) {
                bind(context, configuration, option, parameters.remove(option.name()));
            }
        }
    }

    /**
     * Sets one option on {@code configuration} for one exchange.
     *
     * @throws IllegalArgumentException naming the option when only the endpoint may set it, or naming the option and
     *                                  the value when the value is invalid
     */
    static void bindOverride(CamelContext context, WorkflowHttpConfiguration configuration, String name, Object value) {
        Option option = OPTIONS.get(name);
        if (option == null) {
            throw new IllegalArgumentException("Unknown option " + name);
        }
        if (option.endpointOnly()) {
            throw new EndpointOnlyException(name);
        }
        bind(context, configuration, option, value);
    }

    private static void bind(
            CamelContext context, WorkflowHttpConfiguration configuration, Option option, Object value) {
        Object strict = strictValue(option.name(), option.type(), value);
        boolean bound;
        try {
            bound = option.group()
                    .configurer()
                    .configure(context, option.group().of().apply(configuration), option.name(), strict, false);
        } catch (RuntimeException e) {
            // a setter's own refusal, perhaps wrapped by the configurer
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof IllegalArgumentException refusal) {
                    throw refusal;
                }
            }
            throw new IllegalArgumentException("Invalid value for option " + option.name() + ": " + e.getMessage(), e);
        }
        if (!bound) {
            throw new IllegalStateException("The configurer of option " + option.name() + " does not know it");
        }
    }

    /** Thrown when a header names an option only the endpoint may set. */
    static final class EndpointOnlyException extends IllegalArgumentException {
        EndpointOnlyException(String option) {
            super(option);
        }
    }

    /** {@code value} as {@code type} where Camel would read its text leniently; otherwise as it is. */
    private static Object strictValue(String option, Class<?> type, Object value) {
        if (value == null) {
            throw new IllegalArgumentException("Invalid value for option " + option + ": no value");
        }
        if (type == String.class) {
            return String.valueOf(value);
        }
        Class<?> boxed = ObjectHelper.convertPrimitiveTypeToWrapperType(type);
        if (boxed.isInstance(value) || value instanceof String text && text.startsWith("#")) {
            return value; // already typed, or a #bean reference the configurer looks up
        }
        String text = String.valueOf(value).trim();
        if (type == Duration.class) {
            return Durations.parse(option, value);
        }
        if (boxed == Boolean.class) {
            if ("true".equalsIgnoreCase(text) || "false".equalsIgnoreCase(text)) {
                return Boolean.parseBoolean(text);
            }
            throw new IllegalArgumentException(
                    String.format("Invalid value for option %s: '%s' (expected true or false)", option, text));
        }
        if (boxed == Integer.class || boxed == Long.class) {
            long number = wholeNumber(option, value, text);
            if (boxed == Integer.class && (number < Integer.MIN_VALUE || number > Integer.MAX_VALUE)) {
                throw new IllegalArgumentException(
                        String.format("Invalid value for option %s: '%s' (expected a whole number)", option, text));
            }
            return boxed == Integer.class ? (Object) (int) number : (Object) number;
        }
        if (type.isEnum()) {
            for (Object constant : type.getEnumConstants()) {
                if (((Enum<?>) constant).name().equalsIgnoreCase(text)) {
                    return constant;
                }
            }
            throw new IllegalArgumentException(String.format(
                    "Invalid value for option %s: '%s' (expected %s)",
                    option,
                    text,
                    Arrays.stream(type.getEnumConstants()).map(String::valueOf).collect(Collectors.joining(" or "))));
        }
        throw new IllegalArgumentException(String.format(
                "Invalid value for option %s: expected a #bean reference to a %s, got %s",
                option,
                type.getSimpleName(),
                value instanceof String ? "'" + value + "'" : value.getClass().getName()));
    }

    private static long wholeNumber(String option, Object value, String text) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    String.format("Invalid value for option %s: '%s' (expected a whole number)", option, text));
        }
    }
}
