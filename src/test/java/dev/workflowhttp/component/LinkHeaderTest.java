package dev.workflowhttp.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@code Link} header parser of {@code nextPage=link} (RFC 8288). */
class LinkHeaderTest {

    @Test
    void linksTheirTargetsAndRelationTypes() {
        List<Pagination.LinkValue> links = Pagination.LinkValue.parse(
                "<https://api.test/items?page=2>; rel=\"next\", <https://api.test/items?page=9>; rel=last, "
                        + "</items?page=1>; rel=\"prev first\"");

        assertThat(links)
                .containsExactly(
                        new Pagination.LinkValue("https://api.test/items?page=2", Set.of("next")),
                        new Pagination.LinkValue("https://api.test/items?page=9", Set.of("last")),
                        new Pagination.LinkValue("/items?page=1", Set.of("prev", "first")));
    }

    @Test
    void quotedValuesMayHoldCommasSemicolonsAndEscapedQuotes() {
        List<Pagination.LinkValue> links =
                Pagination.LinkValue.parse("<n>; title=\"a \\\"b, c\\\"; d\"; rel=\"next\", <m>; rel=prev");

        assertThat(links)
                .containsExactly(
                        new Pagination.LinkValue("n", Set.of("next")), new Pagination.LinkValue("m", Set.of("prev")));
    }

    @Test
    void aLinkWithAnAnchorIsAboutAnotherResource() {
        List<Pagination.LinkValue> links = Pagination.LinkValue.parse(
                "<https://api.test/other?page=2>; anchor=\"https://api.test/other\"; rel=next");

        assertThat(links).containsExactly(new Pagination.LinkValue("https://api.test/other?page=2", Set.of()));
    }

    @Test
    void caseOfRelationTypesAndParameterNamesIsIgnored() {
        assertThat(Pagination.LinkValue.parse("<x>; REL=NEXT"))
                .containsExactly(new Pagination.LinkValue("x", Set.of("next")));
    }
}
