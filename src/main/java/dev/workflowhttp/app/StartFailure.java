package dev.workflowhttp.app;

import org.apache.camel.CamelContext;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.FailedToStartRouteException;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;

/**
 * Says in one line why the application could not start: which file, which route, and the innermost reason (which
 * names the option and the value).
 */
final class StartFailure {

    private StartFailure() {
    }

    static String describe(Throwable failure, CamelContext context) {
        String routeId = null;
        String resource = null;
        Throwable innermost = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof FailedToCreateRouteException created && routeId == null) {
                routeId = created.getRouteId();
            } else if (t instanceof FailedToStartRouteException started && routeId == null) {
                routeId = started.getRouteId();
            }
            String message = t.getMessage();
            if (resource == null && message != null && message.contains("resource: ")) {
                resource = message.substring(message.indexOf("resource: ") + "resource: ".length()).trim();
            }
            innermost = t;
        }
        if (routeId != null && resource == null) {
            resource = routeResource(context, routeId);
        }
        StringBuilder line = new StringBuilder();
        if (resource != null) {
            line.append("in ").append(resource).append(": ");
        }
        if (routeId != null) {
            line.append("route '").append(routeId).append("': ");
        }
        String reason = innermost.getMessage() == null ? innermost.getClass().getName() : innermost.getMessage();
        return line.append(reason.replaceAll("\\s*\\R\\s*", " ")).toString();
    }

    private static String routeResource(CamelContext context, String routeId) {
        try {
            Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
            RouteDefinition route = model == null ? null : model.getRouteDefinition(routeId);
            return route == null || route.getResource() == null ? null : route.getResource().getLocation();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
