package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

/**
 * {@code nextPage}: the step follows a GET's pages (Link header, a next URL or a cursor in the JSON body) under its one
 * deadline and hands on every page's body in order; the servers here record each request, so every page is seen to
 * be fetched once, and a failing page, a loop, another origin and the page limit fail the step naming the page.
 */
class PaginationTest extends WorkflowHttpTestSupport {

    private final List<String> targets = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> perTarget = new ConcurrentHashMap<>();
    private MockWebServer server;

    private void serve(Function<RecordedRequest, MockResponse> answer) throws Exception {
        server = loopbackServer(request -> {
            targets.add(request.getTarget());
            perTarget
                    .computeIfAbsent(request.getTarget(), t -> new AtomicInteger())
                    .incrementAndGet();
            return answer.apply(request);
        });
    }

    private static MockResponse json(String body) {
        return new MockResponse.Builder()
                .addHeader("Content-Type", "application/json")
                .body(body)
                .build();
    }

    private Exchange call(String path, String options) throws Exception {
        String step = oneStepRoute(
                "workflow-http:" + server.url(path) + (path.contains("?") ? "&" : "?") + "timeout=5s" + options);
        return template.request(step, e -> {});
    }

    @SuppressWarnings("unchecked")
    private static List<String> pages(Exchange exchange) {
        return ((List<byte[]>) exchange.getMessage().getBody(List.class))
                .stream().map(page -> new String(page, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void linkHeaderPagesAreFollowedEachOnceAndHandedOnInOrder() throws Exception {
        serve(request -> {
            int page = Integer.parseInt(
                    request.getUrl().queryParameter("page") == null
                            ? "1"
                            : request.getUrl().queryParameter("page"));
            MockResponse.Builder response = new MockResponse.Builder().body("page " + page);
            if (page == 1) {
                // a relative link, and other relations around it
                response.addHeader("Link", "</items?page=2>; rel=\"next\", </items?page=3>; rel=\"last\"");
            } else if (page == 2) {
                response.addHeader(
                        "Link",
                        "<" + server.url("/items?page=1") + ">; rel=\"prev first\", <" + server.url("/items?page=3")
                                + ">; rel=next");
            }
            return response.build();
        });

        Exchange result = call("/items", "&nextPage=link");

        assertThat(result.getException()).isNull();
        assertThat(pages(result)).containsExactly("page 1", "page 2", "page 3");
        assertThat(result.getMessage().getHeader(WorkflowHttpConstants.PAGES)).isEqualTo(3);
        assertThat(targets).containsExactly("/items", "/items?page=2", "/items?page=3");
    }

    @Test
    void aNextUrlInTheJsonBodyIsFollowedAndThePagesSplitInARoute() throws Exception {
        serve(request -> switch (request.getTarget()) {
            case "/orders" -> json("{\"orders\":[1,2],\"links\":{\"next\":\"/orders/p2\"}}");
            case "/orders/p2" -> json("{\"orders\":[3,4],\"links\":{\"next\":\"" + server.url("/orders/p3") + "\"}}");
            default -> json("{\"orders\":[5],\"links\":{\"next\":null}}");
        });
        List<String> split = new CopyOnWriteArrayList<>();
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:split")
                        .to("workflow-http:" + server.url("/orders") + "?nextPage=/links/next")
                        .split(body())
                        .process(e -> split.add(e.getMessage().getBody(String.class)))
                        .end();
            }
        });

        template.sendBody("direct:split", null);

        assertThat(split).hasSize(3);
        assertThat(split.get(0)).contains("[1,2]");
        assertThat(split.get(2)).contains("[5]");
        assertThat(perTarget)
                .allSatisfy(
                        (target, count) -> assertThat(count.get()).as(target).isEqualTo(1));
    }

    @Test
    void aCursorIsSentAsAQueryParameterOfTheFirstUrl() throws Exception {
        serve(request -> {
            String cursor = request.getUrl().queryParameter("cursor");
            if (cursor == null) {
                return json("{\"data\":\"a\",\"meta\":{\"next_cursor\":\"c2 +/\"}}");
            }
            return cursor.equals("c2 +/")
                    ? json("{\"data\":\"b\",\"meta\":{\"next_cursor\":\"\"}}")
                    : new MockResponse.Builder().code(400).build();
        });

        Exchange result = call("/search?q=x&limit=2", "&nextPage=/meta/next_cursor&cursorParam=cursor");

        assertThat(result.getException()).isNull();
        assertThat(pages(result)).hasSize(2);
        // (Camel orders an endpoint URI's query parameters: the target's own come in that order)
        assertThat(targets).containsExactly("/search?limit=2&q=x", "/search?limit=2&q=x&cursor=c2%20%2B%2F");
    }

    @Test
    void aQueryOnlyLinkKeepsThePageUrlsPath() throws Exception {
        serve(request -> request.getTarget().equals("/v1/items")
                ? new MockResponse.Builder()
                        .addHeader("Link", "<?page=2>; rel=next")
                        .body("1")
                        .build()
                : new MockResponse.Builder().body("2").build());

        Exchange result = call("/v1/items", "&nextPage=link");

        assertThat(result.getException()).isNull();
        // RFC 3986: a query-only reference keeps the path (java.net.URI.resolve would give /v1/?page=2)
        assertThat(targets).containsExactly("/v1/items", "/v1/items?page=2");
    }

    @Test
    void aRedirectedPagesRelativeLinkIsReadFromWhereThePageCameFrom() throws Exception {
        serve(request -> switch (request.getTarget()) {
            case "/v1/items" ->
                new MockResponse.Builder()
                        .code(301)
                        .addHeader("Location", "/v2/items")
                        .build();
            case "/v2/items" ->
                new MockResponse.Builder()
                        .addHeader("Link", "<?page=2>; rel=next")
                        .body("1")
                        .build();
            default ->
                new MockResponse.Builder().body("2 from " + request.getTarget()).build();
        });

        Exchange result = call("/v1/items", "&nextPage=link&followRedirects=true");

        assertThat(result.getException()).isNull();
        // the first page's body came from /v2/items, so ?page=2 is /v2/items?page=2, not /v1/items?page=2
        assertThat(pages(result)).containsExactly("1", "2 from /v2/items?page=2");
        assertThat(targets).containsExactly("/v1/items", "/v2/items", "/v2/items?page=2");
    }

    @Test
    void aPaginatedStepIsAGetEvenWhenTheMessageStillHasABody() throws Exception {
        serve(request -> new MockResponse.Builder().body(request.getMethod()).build());
        String step = oneStepRoute("workflow-http:" + server.url("/list") + "?nextPage=link");

        Exchange result = template.request(step, e -> e.getMessage().setBody("left over"));

        assertThat(result.getException()).isNull();
        assertThat(pages(result)).containsExactly("GET");
    }

    @Test
    void aFailingPageFailsTheStepNamingItsNumber() throws Exception {
        serve(request -> request.getTarget().equals("/p2")
                ? new MockResponse.Builder().code(500).body("broken").build()
                : new MockResponse.Builder()
                        .addHeader("Link", "</p2>; rel=next")
                        .body("first")
                        .build());

        Exchange result = call("/p1", "&nextPage=link");

        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpPageException.class)
                .hasMessageContaining("page 2 failed")
                .hasMessageContaining("after 1 page(s) fetched")
                .hasCauseInstanceOf(WorkflowHttpStatusException.class);
        assertThat(((WorkflowHttpPageException) result.getException()).getPage())
                .isEqualTo(2);
        assertThat(result.getMessage().getBody()).isNull();
    }

    @Test
    void thePageLimitFailsLoudlyInsteadOfHandingOnFewerPages() throws Exception {
        serve(request -> {
            int page = Integer.parseInt(request.getTarget().substring(2));
            return new MockResponse.Builder()
                    .addHeader("Link", "</p" + (page + 1) + ">; rel=next")
                    .body("p")
                    .build();
        });

        Exchange result = call("/p1", "&nextPage=link&maxPages=3");

        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpPageException.class)
                .hasMessageContaining("page 4 was not fetched: maxPages (3) reached");
        assertThat(targets).containsExactly("/p1", "/p2", "/p3");
    }

    @Test
    void maxBodySizeBoundsAllPagesTogether() throws Exception {
        serve(request -> {
            int page = Integer.parseInt(request.getTarget().substring(2));
            return new MockResponse.Builder()
                    .addHeader("Link", "</m" + (page + 1) + ">; rel=next")
                    .body("x".repeat(400))
                    .build();
        });

        // 400 bytes a page: the third page passes the 1,000 bytes the pages may hold together
        Exchange result = call("/m1", "&nextPage=link&maxBodySize=1000");

        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpPageException.class)
                .hasMessageContaining("page 3 failed")
                .hasCauseInstanceOf(WorkflowHttpBodyTooLargeException.class);
        assertThat(targets).containsExactly("/m1", "/m2", "/m3");
    }

    @Test
    void aLoopAndAnotherOriginAreNotFollowed() throws Exception {
        serve(request -> switch (request.getTarget()) {
            case "/loop1" ->
                new MockResponse.Builder()
                        .addHeader("Link", "</loop2>; rel=next")
                        .build();
            case "/loop2" ->
                new MockResponse.Builder()
                        .addHeader("Link", "</loop1>; rel=next")
                        .build();
            default ->
                new MockResponse.Builder()
                        .addHeader("Link", "<http://127.0.0.1:" + server.getPort() + "/elsewhere>; rel=next")
                        .build();
        });

        Exchange loop = call("/loop1", "&nextPage=link");
        Exchange foreign = call("/away", "&nextPage=link");

        assertThat(loop.getException()).hasMessageContaining("page 3 was not fetched: page 2 points back to");
        assertThat(foreign.getException()).hasMessageContaining("another origin");
        assertThat(targets).containsExactly("/loop1", "/loop2", "/away");
    }

    @Test
    void aRateLimitedPageWaitsAsTheServerAsksAndTheRunGoesOn() throws Exception {
        AtomicInteger secondPage = new AtomicInteger();
        serve(request -> {
            if (request.getTarget().equals("/r2") && secondPage.incrementAndGet() == 1) {
                return new MockResponse.Builder()
                        .code(429)
                        .addHeader("Retry-After", "1")
                        .build();
            }
            return request.getTarget().equals("/r1")
                    ? new MockResponse.Builder()
                            .addHeader("Link", "</r2>; rel=next")
                            .body("one")
                            .build()
                    : new MockResponse.Builder().body("two").build();
        });

        long start = System.nanoTime();
        Exchange result = call("/r1", "&nextPage=link&retryAttempts=2");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result.getException()).isNull();
        assertThat(pages(result)).containsExactly("one", "two");
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(950)); // it waited the second the server asked for
    }

    @Test
    void oneDeadlineCoversEveryPage() throws Exception {
        serve(request -> {
            int page = Integer.parseInt(request.getTarget().substring(2));
            return new MockResponse.Builder()
                    .headersDelay(300, TimeUnit.MILLISECONDS)
                    .addHeader("Link", "</d" + (page + 1) + ">; rel=next")
                    .body("slow")
                    .build();
        });
        String step = oneStepRoute("workflow-http:" + server.url("/d1") + "?nextPage=link&timeout=1s");

        long start = System.nanoTime();
        Exchange result = template.request(step, e -> {});
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // pages of 300 ms each against a 1 s deadline for them all: the fourth cannot finish
        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpPageException.class)
                .hasCauseInstanceOf(WorkflowHttpTimeoutException.class);
        assertThat(((WorkflowHttpPageException) result.getException()).getPage())
                .isBetween(2, 4);
        // the slack is for a shared, noisy machine; without one deadline the run would go on page after page
        assertThat(took).isLessThan(Duration.ofMillis(2_500));
        assertThat(targets.size()).isLessThanOrEqualTo(4);
    }

    @Test
    void aPageThatIsNotJsonIsNamed() throws Exception {
        serve(request -> new MockResponse.Builder().body("<html>").build());

        Exchange result = call("/html", "&nextPage=/next");

        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpPageException.class)
                .hasMessageContaining("page 1 is not JSON");
    }

    @Test
    void optionsThatDoNotFitPaginationAreRefused() throws Exception {
        serve(request -> new MockResponse.Builder().build());
        for (String[] bad : new String[][] {
            {"&nextPage=link&method=POST", "nextPage follows the pages of a GET, not of a POST"},
            {"&nextPage=next", "expected link, or a JSON Pointer starting with /"},
            {"&cursorParam=cursor", "cursorParam needs nextPage"},
            {"&nextPage=link&cursorParam=c", "cursorParam needs nextPage to be a JSON Pointer"},
            {"&nextPage=link&bodyMode=stream", "cannot be combined with bodyMode=stream"},
            {"&nextPage=link&maxPages=0", "maxPages"}
        }) {
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                    () -> oneStepRoute("workflow-http:" + server.url("/x") + "?timeout=1s" + bad[0]));
            assertThat(thrown).as(bad[0]).isNotNull();
            assertThat(rootMessage(thrown)).as(bad[0]).contains(bad[1]);
        }
        assertThat(server.getRequestCount()).isZero();
    }

    private static String rootMessage(Throwable thrown) {
        Throwable root = thrown;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
