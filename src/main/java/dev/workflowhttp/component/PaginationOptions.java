package dev.workflowhttp.component;

import static dev.workflowhttp.component.OptionChecks.inRange;
import static dev.workflowhttp.component.OptionChecks.trimmed;

import com.fasterxml.jackson.core.JsonPointer;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/** Following the pages of a GET under the step's one deadline. */
@UriParams
@Configurer(extended = true)
public class PaginationOptions extends OptionGroup {

    @UriParam(
            label = "pagination",
            description = "Follow the pages of a GET, all under the step's one deadline, and hand them on as one"
                    + " List of page bodies: link, the Link header's rel=next (RFC 8288); or a JSON Pointer"
                    + " such as /links/next, the next page's URL (or, with cursorParam, its cursor) in each"
                    + " page's JSON body. A page without a next one is the last. Off when empty.")
    private String nextPage;

    @UriParam(
            label = "pagination",
            description = "With nextPage set to a JSON Pointer: the value found there is a cursor, sent as this query"
                    + " parameter of the first page's URL (cursorParam=cursor gives ?cursor=...).")
    private String cursorParam;

    @UriParam(
            label = "pagination",
            defaultValue = "100",
            description = "Most pages fetched; a page that points to one more fails the step (naming it) rather"
                    + " than hand on fewer pages than there are.")
    private int maxPages = 100;

    public String getNextPage() {
        return nextPage;
    }

    public void setNextPage(String nextPage) {
        String value = trimmed(nextPage);
        if (value == null || value.equalsIgnoreCase(Pagination.LINK)) {
            this.nextPage = value == null ? null : Pagination.LINK;
            return;
        }
        if (!value.startsWith("/")) {
            throw new IllegalArgumentException(String.format(
                    "Invalid value for option nextPage: '%s' (expected link, "
                            + "or a JSON Pointer starting with /, such as /links/next)",
                    nextPage));
        }
        try {
            JsonPointer.compile(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    String.format(
                            "Invalid value for option nextPage: '%s' is not a JSON " + "Pointer: %s",
                            nextPage, e.getMessage()),
                    e);
        }
        this.nextPage = value;
    }

    public String getCursorParam() {
        return cursorParam;
    }

    public void setCursorParam(String cursorParam) {
        this.cursorParam = trimmed(cursorParam);
    }

    public int getMaxPages() {
        return maxPages;
    }

    public void setMaxPages(int maxPages) {
        this.maxPages = (int) inRange("maxPages", maxPages, 1, 100_000);
    }
}
