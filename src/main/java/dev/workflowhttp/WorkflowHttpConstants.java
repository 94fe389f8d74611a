package dev.workflowhttp;

import org.apache.camel.spi.Metadata;

/**
 * Names of the message headers and exchange properties the step reads and writes.
 * <p>
 * Every endpoint option can also be overridden per exchange by a header named {@code CamelWorkflowHttp} followed by
 * the option name with its first letter in upper case ({@code CamelWorkflowHttpTimeout},
 * {@code CamelWorkflowHttpBodyMode}, ...): see {@link #overrideHeader(String)}.
 */
public final class WorkflowHttpConstants {

    public static final String OVERRIDE_PREFIX = "CamelWorkflowHttp";

    @Metadata(description = "Replaces the whole target URL of the endpoint for this exchange.", javaType = "String")
    public static final String URL = "CamelWorkflowHttpUrl";

    @Metadata(
            description = "Query parameters added to the URL; a value may be a list.",
            javaType = "java.util.Map<String, Object>")
    public static final String PARAMS = "CamelWorkflowHttpParams";

    @Metadata(
            description = "Request headers sent to the target; a value may be a list.",
            javaType = "java.util.Map<String, Object>")
    public static final String HEADERS = "CamelWorkflowHttpHeaders";

    @Metadata(
            description = "Fields sent as application/x-www-form-urlencoded; cannot be combined with a body.",
            javaType = "java.util.Map<String, Object>")
    public static final String FORM = "CamelWorkflowHttpForm";

    @Metadata(
            description = "Fields and files sent as multipart/form-data, streamed: a Map from field name to a String,"
                    + " byte[], File, Path, InputStream or dev.workflowhttp.FormPart (with its file name and content type), or"
                    + " a list of them; cannot be combined with a body or CamelWorkflowHttpForm.",
            javaType = "java.util.Map<String, Object>")
    public static final String MULTIPART = "CamelWorkflowHttpMultipart";

    @Metadata(description = "The response status code.", javaType = "Integer")
    public static final String RESPONSE_CODE = "CamelHttpResponseCode";

    @Metadata(description = "The response reason phrase.", javaType = "String")
    public static final String RESPONSE_TEXT = "CamelHttpResponseText";

    @Metadata(
            description = "With conditionalGet: true when the target answered 304 Not Modified (the body is then"
                    + " empty), false otherwise.",
            javaType = "Boolean")
    public static final String NOT_MODIFIED = "CamelWorkflowHttpNotModified";

    @Metadata(
            description = "With nextPage: how many pages were fetched (the body is the List of their bodies).",
            javaType = "Integer")
    public static final String PAGES = "CamelWorkflowHttpPages";

    @Metadata(
            label = "property",
            description = "The step's timeout scope: deadline, time remaining, phase and state.",
            javaType = "dev.workflowhttp.TimeoutScope")
    public static final String TIMEOUT_SCOPE = "CamelWorkflowHttpTimeoutScope";

    @Metadata(
            label = "property",
            description = "The attempts the step made: for each, its status or error, the"
                    + " phase it ended in, and where its time went.",
            javaType = "java.util.List<dev.workflowhttp.AttemptRecord>")
    public static final String ATTEMPTS = "CamelWorkflowHttpAttempts";

    @Metadata(
            label = "property",
            description = "The workflow's deadline (Instant; a Date or epoch millis as Long"
                    + " are accepted); every call uses the nearer of its timeout and the time left.",
            javaType = "java.time.Instant")
    public static final String WORKFLOW_DEADLINE = WorkflowDeadline.PROPERTY;

    @Metadata(
            description = "The workflow's deadline in epoch milliseconds, carried across hops such as JMS.",
            javaType = "Long")
    public static final String WORKFLOW_DEADLINE_HEADER = WorkflowDeadline.HEADER;

    private WorkflowHttpConstants() {}

    /** {@code timeout} → {@code CamelWorkflowHttpTimeout}. */
    public static String overrideHeader(String option) {
        return OVERRIDE_PREFIX + Character.toUpperCase(option.charAt(0)) + option.substring(1);
    }
}
