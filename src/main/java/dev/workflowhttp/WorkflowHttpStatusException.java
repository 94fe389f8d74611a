package dev.workflowhttp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The server answered with a status outside {@code okStatusCodes} and {@code throwOnHttpError} is on. The body it
 * holds is bounded (see {@link #MAX_ERROR_BODY}); {@link #isBodyCut()} tells whether the server sent more.
 */
public class WorkflowHttpStatusException extends WorkflowHttpException {

    private static final long serialVersionUID = 1L;

    /** The most of an error response's body an exception keeps. */
    public static final int MAX_ERROR_BODY = 64 * 1024;

    private final int statusCode;
    private final String reasonPhrase;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final boolean bodyCut;

    public WorkflowHttpStatusException(
            String url,
            int statusCode,
            String reasonPhrase,
            Map<String, List<String>> headers,
            byte[] body,
            boolean bodyCut) {
        super(
                String.format(
                        "HTTP %d%s (%s)",
                        statusCode, reasonPhrase == null || reasonPhrase.isEmpty() ? "" : " " + reasonPhrase, url),
                url,
                Phase.HEADERS);
        this.statusCode = statusCode;
        this.reasonPhrase = reasonPhrase;
        this.headers = headers;
        this.body = body;
        this.bodyCut = bodyCut;
    }

    public int getStatusCode() {
        return statusCode;
    }

    public String getReasonPhrase() {
        return reasonPhrase;
    }

    /** Response headers by lower-case name. */
    public Map<String, List<String>> getHeaders() {
        return headers;
    }

    public String getHeader(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public byte[] getBody() {
        return body.clone();
    }

    /** The body as text (UTF-8), at most {@link #MAX_ERROR_BODY} bytes of it. */
    public String getBodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public boolean isBodyCut() {
        return bodyCut;
    }
}
