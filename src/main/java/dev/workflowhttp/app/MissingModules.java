package dev.workflowhttp.app;

import dev.workflowhttp.internal.util.Spelling;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.NoSuchEndpointException;
import org.apache.camel.NoSuchLanguageException;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.support.PluginHelper;

/**
 * Refuses, in one line, a start that failed because a route uses a component or a language this application does not
 * ship, and names the Maven artifact to add to its pom. The scheme → artifact table ({@value #TABLE}, next to this
 * class) is generated from Camel's catalog of the Camel version the app is built on: see {@code MissingModulesTest},
 * which checks it against the catalog and writes it anew.
 */
final class MissingModules {

    /** The scheme → artifact table: {@code component.<scheme>} and {@code language.<name>} → {@code groupId:artifactId}. */
    static final String TABLE = "camel-artifacts.properties";

    static final String COMPONENT = "component.";
    static final String LANGUAGE = "language.";

    private static final String REBUILD =
            " to pom.xml (its version comes from the Camel BOM) and rebuild: " + "mvn -B -DskipTests package";

    private MissingModules() {}

    /**
     * The refusal for a start that failed on a component or language the app lacks: {@code route 'x' (routes/x.yaml)
     * uses kafka:, which this app does not ship: add org.apache.camel:camel-kafka ...}; null when {@code failure} is
     * of another kind, so that {@link StartFailure} says what it is.
     */
    static String describe(Throwable failure, CamelContext context) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String uri = null;
            if (t instanceof NoSuchEndpointException missing) {
                uri = missing.getUri();
            } else if (t instanceof ResolveEndpointFailedException unresolved) {
                uri = unresolved.getUri();
            }
            if (uri != null) {
                String scheme = schemeOf(uri);
                return scheme == null || shipsComponent(context, scheme)
                        ? null
                        : where(failure, context) + " uses " + scheme + ":, " + componentAdvice(scheme);
            }
            if (t instanceof NoSuchLanguageException language) {
                String artifact = table().getProperty(LANGUAGE + language.getLanguage());
                return artifact == null
                        ? null
                        : where(failure, context) + " uses the " + language.getLanguage() + " language, which this app "
                                + "does not ship: add " + artifact + REBUILD;
            }
        }
        return null;
    }

    private static String componentAdvice(String scheme) {
        Properties table = table();
        String artifact = table.getProperty(COMPONENT + scheme);
        if (artifact != null) {
            return "which this app does not ship: add " + artifact + REBUILD;
        }
        List<String> schemes = new ArrayList<>();
        table.stringPropertyNames().stream()
                .filter(key -> key.startsWith(COMPONENT))
                .forEach(key -> schemes.add(key.substring(COMPONENT.length())));
        String near = Spelling.nearest(scheme, schemes, 2);
        return "which is no component of this app nor of Camel's catalog"
                + (near == null ? "" : ": did you mean " + near + ":?")
                + " (a component from elsewhere: add its artifact" + REBUILD + ")";
    }

    /** {@code route 'x' (routes/x.yaml)}, or as much of it as the failure tells; "a route" when it tells nothing. */
    private static String where(Throwable failure, CamelContext context) {
        String routeId = StartFailure.routeIdIn(failure);
        if (routeId == null) {
            return "a route";
        }
        String resource = StartFailure.routeResource(context, routeId);
        return "route '" + routeId + "'" + (resource == null ? "" : " (" + resource.replaceFirst("^file:", "") + ")");
    }

    /** The scheme of an endpoint URI ({@code kafka} of {@code kafka://orders}), or null when it has none. */
    static String schemeOf(String uri) {
        int colon = uri.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        String scheme = uri.substring(0, colon);
        return scheme.matches("[A-Za-z][A-Za-z0-9+.-]*") ? scheme : null;
    }

    /** Whether the context has, or can load from the classpath, a component for {@code scheme}. */
    private static boolean shipsComponent(CamelContext context, String scheme) {
        if (context == null) {
            return false;
        }
        if (context.hasComponent(scheme) != null) {
            return true;
        }
        try {
            return PluginHelper.getComponentResolver(context).resolveComponent(scheme, context) != null;
        } catch (Exception e) {
            return true; // it is there but does not load: not a missing jar, StartFailure says what happened
        }
    }

    static Properties table() {
        Properties table = new Properties();
        try (InputStream in = MissingModules.class.getResourceAsStream(TABLE)) {
            if (in == null) {
                throw new IllegalStateException(TABLE + " is missing from the application's jar");
            }
            table.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return table;
    }
}
