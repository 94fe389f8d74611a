package dev.workflowhttp.internal.http;

import org.apache.hc.core5.http.Header;

/**
 * A response as the step hands it to the exchange.
 *
 * @param body          {@code byte[]} (whole body) or an {@code InputStream} (stream mode)
 * @param contentLength the length as received, or -1 when unknown or changed by decoding
 * @param errorBodyCut  for a status outside the accepted codes: whether the body kept was cut
 */
public record HttpResult(
        int statusCode,
        String reasonPhrase,
        Header[] headers,
        Object body,
        long contentLength,
        String contentType,
        boolean statusAccepted,
        boolean errorBodyCut) {

    /** The value of the first response header of this name (case ignored), or null. */
    public String header(String name) {
        for (Header header : headers) {
            if (header.getName().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }
}
