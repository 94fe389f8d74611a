package dev.workflowhttp.app;

import dev.workflowhttp.internal.util.UrlMasking;
import org.apache.camel.CamelContext;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.FailedToStartRouteException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

/**
 * Says in one line why the application could not start: which file, which route, which step, and the innermost
 * reason (which names the option and the value); an exception without a message is named with where it came from.
 */
final class StartFailure {

    private StartFailure() {}

    static String describe(Throwable failure, CamelContext context) {
        return describe(failure, context, null);
    }

    /**
     * @param routesPattern the routes include pattern, to find the file the YAML DSL could not read when its own
     *                      exception does not say (null: not looked for)
     */
    static String describe(Throwable failure, CamelContext context, String routesPattern) {
        String routeId = routeIdIn(failure);
        String resource = null;
        String step = null;
        Throwable innermost = failure;
        String nearestMessage = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (resource == null && message != null && message.contains("resource: ")) {
                resource = message.substring(message.indexOf("resource: ") + "resource: ".length())
                        .trim();
            }
            if (step == null && message != null) {
                step = stepIn(message);
            }
            if (message != null && !message.isBlank()) {
                nearestMessage = message;
            }
            innermost = t;
        }
        if (routeId != null && resource == null) {
            resource = routeResource(context, routeId);
        }
        boolean yamlReading = readingYaml(innermost);
        if (resource == null && yamlReading && routesPattern != null) {
            resource = unreadableRoutesFile(context, routesPattern, innermost.getClass());
        }
        StringBuilder line = new StringBuilder();
        if (resource != null) {
            line.append("in ").append(resource).append(": ");
        }
        if (routeId != null) {
            line.append("route '").append(routeId).append("': ");
        }
        if (step != null) {
            line.append("step ").append(step).append(": ");
        }
        String reason;
        if (innermost.getMessage() != null && !innermost.getMessage().isBlank()) {
            reason = innermost.getMessage();
        } else {
            // an exception without a message: say what it is and where it came from, never a bare class name
            StackTraceElement[] trace = innermost.getStackTrace();
            reason = innermost.getClass().getName()
                    + (trace.length == 0
                            ? ""
                            : " at "
                                    + trace[0].getClassName()
                                            .substring(trace[0].getClassName().lastIndexOf('.') + 1) + "."
                                    + trace[0].getMethodName());
            if (yamlReading) {
                reason = "the YAML DSL could not read a step (" + reason + "); a step written in a short form it does"
                        + " not have is the usual cause, e.g. `wireTap: \"uri\"`: write `wireTap: {uri: ...}`";
            } else if (nearestMessage != null) {
                reason = nearestMessage + " (" + reason + ")";
            }
        }
        return line.append(reason.replaceAll("\\s*\\R\\s*", " ")).toString();
    }

    /** The id of the route that could not be created or started, the outermost named; null when none is. */
    static String routeIdIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof FailedToCreateRouteException created && created.getRouteId() != null) {
                return created.getRouteId();
            } else if (t instanceof FailedToStartRouteException started && started.getRouteId() != null) {
                return started.getRouteId();
            }
        }
        return null;
    }

    /** The step Camel names in a route failure ({@code ... at: >>> To[uri] <<< in route ...}), masked. */
    private static String stepIn(String message) {
        int start = message.indexOf(">>> ");
        int end = message.indexOf(" <<<", start + 4);
        if (start < 0 || end < 0) {
            return null;
        }
        return UrlMasking.maskUrlsIn(message.substring(start + 4, end).trim());
    }

    private static boolean readingYaml(Throwable failure) {
        for (StackTraceElement element : failure.getStackTrace()) {
            if (element.getClassName().startsWith("org.apache.camel.dsl.yaml.")) {
                return true;
            }
        }
        return false;
    }

    /** Loads each routes file on its own into a scratch context: the one failing as the whole did. */
    private static String unreadableRoutesFile(CamelContext context, String routesPattern, Class<?> failureType) {
        try {
            for (String pattern : routesPattern.split(",")) {
                for (Resource resource :
                        PluginHelper.getPackageScanResourceResolver(context).findResources(pattern.trim())) {
                    try (DefaultCamelContext scratch = new DefaultCamelContext(false)) {
                        PluginHelper.getRoutesLoader(scratch).loadRoutes(resource);
                    } catch (Exception e) {
                        for (Throwable t = e; t != null; t = t.getCause()) {
                            if (failureType.isInstance(t)) {
                                return resource.getLocation();
                            }
                        }
                    }
                }
            }
        } catch (Exception e) {
            // the files could not be listed again: the message goes without one
        }
        return null;
    }

    /** Where the route was read from ({@code file:routes/x.yaml}), or null when the model does not say. */
    static String routeResource(CamelContext context, String routeId) {
        try {
            Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
            RouteDefinition route = model == null ? null : model.getRouteDefinition(routeId);
            return route == null || route.getResource() == null
                    ? null
                    : route.getResource().getLocation();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
