package dev.workflowhttp.internal.util;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks a URL's user-info and query values before it goes into a message, a log line or a scope's description.
 */
public final class UrlMasking {

    public static final String MASK = "xxxxxx";

    private static final Pattern URL_IN_TEXT = Pattern.compile("(?i)\\bhttps?://[^\\s'\"<>]+");

    private UrlMasking() {}

    /** {@code url} with its user-info and every query value masked, and without its fragment. */
    public static String mask(String url) {
        return mask(url, Set.of());
    }

    /**
     * An endpoint URI as it may be shown: the target's user-info and query values masked, but the values of the
     * options named in {@code shownOptions} (timeout, method, ..., never a credential) readable.
     */
    public static String maskEndpointUri(String endpointUri, Set<String> shownOptions) {
        if (endpointUri == null) {
            return null;
        }
        int colon = endpointUri.indexOf(':');
        if (colon < 0) {
            return mask(endpointUri, shownOptions);
        }
        int targetStart = colon + 1;
        if (endpointUri.startsWith("//", targetStart)
                && !endpointUri.startsWith("///", targetStart)
                && endpointUri.indexOf("://", targetStart) > 0) {
            targetStart += 2;
        }
        return endpointUri.substring(0, targetStart) + mask(endpointUri.substring(targetStart), shownOptions);
    }

    /** {@code text} with every http(s) URL in it masked (for messages that come from libraries). */
    public static String maskUrlsIn(String text) {
        if (text == null || !text.contains("://")) {
            return text;
        }
        Matcher matcher = URL_IN_TEXT.matcher(text);
        StringBuilder masked = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(masked, Matcher.quoteReplacement(mask(matcher.group())));
        }
        return matcher.appendTail(masked).toString();
    }

    private static String mask(String url, Set<String> shownOptions) {
        if (url == null) {
            return null;
        }
        String text = url;
        int fragment = text.indexOf('#');
        if (fragment >= 0) {
            text = text.substring(0, fragment);
        }
        int schemeEnd = text.indexOf("://");
        int authorityStart = schemeEnd < 0 ? 0 : schemeEnd + 3;
        int pathStart = firstOf(text, authorityStart, '/', '?');
        String authority = text.substring(authorityStart, pathStart);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            // the user name can be the secret itself (https://TOKEN@host): mask the whole user-info
            authority = MASK + authority.substring(at);
        }
        StringBuilder masked =
                new StringBuilder(text.length()).append(text, 0, authorityStart).append(authority);
        int query = text.indexOf('?', pathStart);
        if (query < 0) {
            return masked.append(text.substring(pathStart)).toString();
        }
        masked.append(text, pathStart, query + 1);
        String queryText = text.substring(query + 1);
        int start = 0;
        while (start <= queryText.length()) {
            int end = pairEnd(queryText, start);
            String pair = queryText.substring(start, end);
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            boolean readable = shownOptions.contains(name);
            masked.append(equals < 0 || readable ? pair : name + "=" + MASK);
            if (end >= queryText.length()) {
                break;
            }
            masked.append('&');
            start = end + 1;
        }
        return masked.toString();
    }

    /** Where the pair starting at {@code start} ends: at the next '&', or after a Camel RAW(...) value that may hold one. */
    private static int pairEnd(String query, int start) {
        int equals = query.indexOf('=', start);
        int amp = query.indexOf('&', start);
        if (equals >= 0 && (amp < 0 || equals < amp)) {
            for (String[] raw : new String[][] {{"RAW(", ")"}, {"RAW{", "}"}}) {
                if (query.startsWith(raw[0], equals + 1)) {
                    int close = query.indexOf(raw[1] + "&", equals + 1);
                    return close < 0 ? query.length() : close + 1;
                }
            }
        }
        return amp < 0 ? query.length() : amp;
    }

    private static int firstOf(String text, int from, char a, char b) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == a || c == b) {
                return i;
            }
        }
        return text.length();
    }
}
