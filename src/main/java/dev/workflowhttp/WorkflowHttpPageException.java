package dev.workflowhttp;

/**
 * A page of a paginated call ({@code nextPage}) failed, or the pages could not be followed (a next page on another
 * origin, a loop, the page limit): none of the pages is handed on, so a failing page never looks like the last one.
 * The cause, when there is one, is the page's own error, so {@code onException} for that error still matches.
 */
public class WorkflowHttpPageException extends WorkflowHttpException {

    private static final long serialVersionUID = 1L;

    private final int page;

    public WorkflowHttpPageException(String message, String url, int page, Phase phase, Throwable cause) {
        super(message, url, phase, cause);
        this.page = page;
    }

    /** The number of the page that failed or was not fetched, 1 for the first. */
    public int getPage() {
        return page;
    }
}
