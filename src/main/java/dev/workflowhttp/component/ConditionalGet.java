package dev.workflowhttp.component;

import dev.workflowhttp.internal.http.HttpResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.support.processor.state.MemoryStateRepository;

/**
 * {@code conditionalGet}: the validators a target sent ({@code ETag}, {@code Last-Modified}) are kept in a
 * {@link StateRepository} under a hash of the URL (a shared repository never holds the URL's query values), and the
 * next GET of that URL asks with {@code If-None-Match} / {@code If-Modified-Since}.
 */
final class ConditionalGet {

    /** The repository of endpoints that name none: in memory, one per JVM (validators are keyed by URL). */
    private static final StateRepository<String, String> MEMORY = new MemoryStateRepository();

    private ConditionalGet() {}

    static void addValidators(StepSettings config, RequestFactory.Prepared request) {
        if (!config.isConditionalGet() || !isGet(request.method())) {
            return;
        }
        String state = repository(config).getState(key(request.uri().toString()));
        if (state == null) {
            return;
        }
        int newline = state.indexOf('\n');
        String etag = state.substring(0, newline);
        String lastModified = state.substring(newline + 1);
        if (!etag.isEmpty() && !request.request().containsHeader("If-None-Match")) {
            request.request().setHeader("If-None-Match", etag);
        }
        if (!lastModified.isEmpty() && !request.request().containsHeader("If-Modified-Since")) {
            request.request().setHeader("If-Modified-Since", lastModified);
        }
    }

    /** After a successful GET: keeps its validators for the next one (none, when it sent none). */
    static void remember(StepSettings config, RequestFactory.Prepared request, HttpResult result) {
        if (!isGet(request.method())) {
            return;
        }
        String etag = result.header("ETag");
        String lastModified = result.header("Last-Modified");
        repository(config)
                .setState(
                        key(request.uri().toString()),
                        (etag == null ? "" : etag) + "\n" + (lastModified == null ? "" : lastModified));
    }

    private static boolean isGet(String method) {
        return "GET".equals(method) || "HEAD".equals(method);
    }

    private static StateRepository<String, String> repository(StepSettings config) {
        return config.getConditionalRepository() != null ? config.getConditionalRepository() : MEMORY;
    }

    private static String key(String url) {
        try {
            return "workflow-http:"
                    + HexFormat.of()
                            .formatHex(
                                    MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
