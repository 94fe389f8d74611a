package dev.workflowhttp.app.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;

/**
 * The routes' triggers as the cluster sees them: {@code master:<namespace>:<uri>} routes (cluster-once by Camel's
 * master component), plain timer, quartz, cron and scheduler routes (which would fire once per instance) and the
 * rest.
 */
final class TriggerRoutes {

    /** The components whose consumers fire by the clock, once in every instance that runs them. */
    static final Set<String> CLOCK_SCHEMES = Set.of("timer", "quartz", "cron", "scheduler");

    /** Route id (or its from URI when it has none) to the cluster namespace of its {@code master:} consumer. */
    final Map<String, String> masterRoutes = new LinkedHashMap<>();
    /** Plain clock-triggered routes, by id, with their definitions. */
    final Map<String, RouteDefinition> clockRoutes = new LinkedHashMap<>();
    /** Every route id. */
    final List<String> routeIds = new ArrayList<>();

    private TriggerRoutes() {}

    static TriggerRoutes of(CamelContext context) {
        TriggerRoutes routes = new TriggerRoutes();
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        for (RouteDefinition route : model.getRouteDefinitions()) {
            if (route.getInput() == null || route.getInput().getEndpointUri() == null) {
                continue;
            }
            String uri = route.getInput().getEndpointUri();
            String name = route.getRouteId() != null ? route.getRouteId() : uri;
            if (route.getRouteId() != null) {
                routes.routeIds.add(route.getRouteId());
            }
            String scheme = scheme(uri);
            if (scheme.equals("master")) {
                routes.masterRoutes.put(name, masterNamespace(context, uri));
            } else if (CLOCK_SCHEMES.contains(scheme)) {
                routes.clockRoutes.put(name, route);
            }
        }
        return routes;
    }

    private static String scheme(String uri) {
        int colon = uri.indexOf(':');
        return colon < 0 ? uri : uri.substring(0, colon).trim();
    }

    /** {@code master:ns:timer:x} → {@code ns}, its placeholders resolved. */
    private static String masterNamespace(CamelContext context, String uri) {
        String rest = uri.substring(uri.indexOf(':') + 1);
        if (rest.startsWith("//")) {
            rest = rest.substring(2);
        }
        int colon = rest.indexOf(':');
        String namespace = colon < 0 ? rest : rest.substring(0, colon);
        try {
            return context.resolvePropertyPlaceholders(namespace);
        } catch (RuntimeException e) {
            return namespace;
        }
    }
}
