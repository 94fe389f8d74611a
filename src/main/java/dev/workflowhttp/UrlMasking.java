package dev.workflowhttp;

/**
 * Masks a URL's password and query values before it goes into a message, a log line or a scope's description.
 */
public final class UrlMasking {

    public static final String MASK = "xxxxxx";

    private UrlMasking() {
    }

    public static String mask(String url) {
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
            String userInfo = authority.substring(0, at);
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
            authority = user + ":" + MASK + authority.substring(at);
        }
        StringBuilder masked = new StringBuilder(text.length()).append(text, 0, authorityStart).append(authority);
        int query = text.indexOf('?', pathStart);
        if (query < 0) {
            return masked.append(text.substring(pathStart)).toString();
        }
        masked.append(text, pathStart, query + 1);
        String[] pairs = text.substring(query + 1).split("&", -1);
        for (int i = 0; i < pairs.length; i++) {
            if (i > 0) {
                masked.append('&');
            }
            int equals = pairs[i].indexOf('=');
            masked.append(equals < 0 ? pairs[i] : pairs[i].substring(0, equals + 1) + MASK);
        }
        return masked.toString();
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
