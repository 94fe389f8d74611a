package dev.workflowhttp.component;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workflowhttp.WorkflowHttpPageException;
import dev.workflowhttp.internal.http.HttpResult;
import dev.workflowhttp.internal.http.Origins;
import dev.workflowhttp.internal.util.UrlMasking;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.apache.hc.client5.http.utils.URIUtils;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.net.URIBuilder;

/**
 * The pages of one paginated run ({@code nextPage}): each page's body kept in order, and the next page's URL found
 * in the {@code Link} header ({@code rel="next"}, RFC 8288) or in the JSON body at a JSON Pointer (a URL, or a cursor
 * sent as the {@code cursorParam} query parameter of the first page's URL). Pages are followed only on the first
 * page's origin, each URL once, up to {@code maxPages}.
 */
final class Pagination {

    /** {@code nextPage=link}: the {@code Link} header. */
    static final String LINK = "link";

    private final ObjectMapper json;
    private final String nextPage;
    private final JsonPointer pointer;
    private final String cursorParam;
    private final int maxPages;
    private final long maxBytes;
    private final URI first;
    private final List<byte[]> pages = new ArrayList<>();
    private final Set<URI> seen = new HashSet<>();
    private long bytes;

    Pagination(ObjectMapper json, StepSettings config, URI first) {
        this.json = json;
        this.nextPage = config.getNextPage();
        this.pointer = nextPage.equals(LINK) ? null : JsonPointer.compile(nextPage);
        this.cursorParam = config.getCursorParam();
        this.maxPages = config.getMaxPages();
        this.maxBytes = config.getMaxBodySize();
        this.first = first;
        seen.add(first.normalize());
    }

    /** The number of the page being fetched (1 for the first). */
    int page() {
        return pages.size() + 1;
    }

    /** The limit on the next page's body: what {@code maxBodySize} leaves after the pages kept so far. */
    long maxBodySize() {
        return maxBytes < 0 ? -1 : Math.max(0, maxBytes - bytes);
    }

    /**
     * Keeps the page's body and finds the next page.
     *
     * @return the next page's URL, or null when this was the last page
     * @throws WorkflowHttpPageException when the next page cannot be followed
     */
    URI keep(HttpResult result, URI current) throws WorkflowHttpPageException {
        byte[] body = result.body() instanceof byte[] bytesOfPage ? bytesOfPage : new byte[0];
        pages.add(body);
        bytes += body.length;
        URI next = pointer == null ? linkNext(result.headers(), current) : bodyNext(body, current);
        if (next == null) {
            return null;
        }
        int number = page();
        String shown = UrlMasking.mask(next.toString());
        if (!Origins.same(next, first)) {
            throw failure(
                    String.format(
                            "page %d was not fetched: page %d points to %s, another origin than the first "
                                    + "page's (%s), and credentials are not sent there",
                            number, number - 1, shown, Origins.of(first)),
                    number);
        }
        if (!seen.add(next.normalize())) {
            throw failure(
                    String.format(
                            "page %d was not fetched: page %d points back to %s, fetched already (a loop)",
                            number, number - 1, shown),
                    number);
        }
        if (number > maxPages) {
            throw failure(
                    String.format(
                            "page %d was not fetched: maxPages (%d) reached, and page %d points to %s; "
                                    + "raise maxPages to fetch every page",
                            number, maxPages, number - 1, shown),
                    number);
        }
        return next;
    }

    /** The last page's answer with every page's body, in order, as a {@code List<byte[]>}. */
    HttpResult collected(HttpResult last) {
        return new HttpResult(
                last.statusCode(),
                last.reasonPhrase(),
                last.headers(),
                List.copyOf(pages),
                -1,
                last.contentType(),
                last.statusAccepted(),
                false);
    }

    int pages() {
        return pages.size();
    }

    WorkflowHttpPageException failure(String message, int page) {
        return new WorkflowHttpPageException(
                message + " (" + UrlMasking.mask(first.toString()) + ")",
                UrlMasking.mask(first.toString()),
                page,
                null,
                null);
    }

    private URI bodyNext(byte[] body, URI current) throws WorkflowHttpPageException {
        JsonNode tree;
        try {
            tree = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw failure(
                    String.format(
                            "page %d is not JSON, so its next page (%s) cannot be read: %s",
                            page() - 1, nextPage, e.getOriginalMessage()),
                    page() - 1);
        } catch (IOException e) {
            throw failure(String.format("page %d cannot be read as JSON: %s", page() - 1, e.getMessage()), page() - 1);
        }
        JsonNode value = tree == null ? null : tree.at(pointer);
        if (value == null || value.isMissingNode() || value.isNull() || value.isBoolean() && !value.booleanValue()) {
            return null;
        }
        if (!value.isValueNode()) {
            throw failure(
                    String.format(
                            "page %d: %s is a %s, not a URL or cursor",
                            page() - 1, nextPage, value.getNodeType().toString().toLowerCase(Locale.ROOT)),
                    page() - 1);
        }
        String text = value.asText().trim();
        if (text.isEmpty()) {
            return null;
        }
        if (cursorParam != null) {
            try {
                return new URIBuilder(first).setParameter(cursorParam, text).build();
            } catch (URISyntaxException e) {
                throw failure(
                        "page " + (page() - 1) + ": the cursor cannot be put in the URL: " + e.getReason(), page() - 1);
            }
        }
        return resolve(current, text, "at " + nextPage);
    }

    private URI linkNext(Header[] headers, URI current) throws WorkflowHttpPageException {
        for (Header header : headers) {
            if (!header.getName().equalsIgnoreCase("Link")) {
                continue;
            }
            for (LinkValue link : LinkValue.parse(header.getValue())) {
                if (link.rels().contains("next")) {
                    return resolve(current, link.target(), "in its Link header");
                }
            }
        }
        return null;
    }

    /**
     * Resolves a next-page reference as RFC 3986 does ({@code ?page=2} keeps the path), against the URL the page came
     * from: its request's, or the last redirect's.
     */
    private URI resolve(URI current, String target, String where) throws WorkflowHttpPageException {
        URI next;
        try {
            next = URIUtils.resolve(current, new URI(target));
        } catch (URISyntaxException | IllegalArgumentException e) {
            String reason = e instanceof URISyntaxException syntax ? syntax.getReason() : "not a URL";
            throw failure(
                    String.format(
                            "page %d: the next page %s, %s, is not a usable URL: %s",
                            page() - 1, where, UrlMasking.mask(target), reason),
                    page() - 1);
        }
        try {
            RequestFactory.checkUrl(next.toString());
        } catch (IllegalArgumentException e) {
            // its message shows the URL masked
            throw failure(
                    String.format(
                            "page %d: the next page %s is not a usable URL: %s", page() - 1, where, e.getMessage()),
                    page() - 1);
        }
        return next;
    }

    /** One link of a {@code Link} header (RFC 8288): its target and its relation types. */
    record LinkValue(String target, Set<String> rels) {

        static List<LinkValue> parse(String header) {
            List<LinkValue> links = new ArrayList<>();
            int i = 0;
            int length = header.length();
            while (i < length) {
                int open = header.indexOf('<', i);
                if (open < 0) {
                    break;
                }
                int close = header.indexOf('>', open);
                if (close < 0) {
                    break;
                }
                String target = header.substring(open + 1, close).trim();
                Set<String> rels = new HashSet<>();
                boolean anchored = false;
                i = close + 1;
                // parameters up to the comma that ends this link (a comma inside quotes belongs to a value)
                while (i < length && header.charAt(i) != ',') {
                    if (header.charAt(i) != ';') {
                        i++;
                        continue;
                    }
                    int nameStart = ++i;
                    while (i < length && "=;,".indexOf(header.charAt(i)) < 0) {
                        i++;
                    }
                    String name = header.substring(nameStart, i).trim().toLowerCase(Locale.ROOT);
                    String value = "";
                    if (i < length && header.charAt(i) == '=') {
                        i++;
                        while (i < length && header.charAt(i) == ' ') {
                            i++;
                        }
                        if (i < length && header.charAt(i) == '"') {
                            // a quoted string: a backslash escapes the next character (a quote, a comma is text)
                            StringBuilder quoted = new StringBuilder();
                            i++;
                            while (i < length && header.charAt(i) != '"') {
                                if (header.charAt(i) == '\\' && i + 1 < length) {
                                    i++;
                                }
                                quoted.append(header.charAt(i++));
                            }
                            value = quoted.toString();
                            i = Math.min(length, i + 1);
                        } else {
                            int start = i;
                            while (i < length && ";,".indexOf(header.charAt(i)) < 0) {
                                i++;
                            }
                            value = header.substring(start, i).trim();
                        }
                    }
                    if (name.equals("rel")) {
                        for (String rel : value.trim().split("\\s+")) {
                            rels.add(rel.toLowerCase(Locale.ROOT));
                        }
                    } else if (name.equals("anchor")) {
                        anchored = true;
                    }
                }
                // a link with an anchor relates another resource than this page: not this page's next
                links.add(new LinkValue(target, anchored ? Set.of() : Set.copyOf(rels)));
                i++;
            }
            return links;
        }

        LinkValue {
            Objects.requireNonNull(target);
        }
    }
}
