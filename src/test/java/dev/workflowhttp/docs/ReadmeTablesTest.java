package dev.workflowhttp.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README stays a reference a reader can scan: its table cells are short (long explanations live in prose sections
 * the cells link to), and every link to a section of the README finds that section.
 */
class ReadmeTablesTest {

    /** Longest table cell, in characters: about three lines of a wide screen. */
    private static final int MAX_CELL = 400;

    private static final Pattern SECTION_LINK = Pattern.compile("\\]\\(#([^)]+)\\)");

    @Test
    void tableCellsAreShort() throws Exception {
        List<String> tooLong = new ArrayList<>();
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        boolean inCode = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("```")) {
                inCode = !inCode;
            }
            if (inCode || !line.startsWith("| ")) {
                continue;
            }
            for (String cell : line.substring(1).split(" \\| ")) {
                if (cell.length() > MAX_CELL) {
                    tooLong.add("line " + (i + 1) + ": " + cell.length() + " characters: "
                            + cell.strip().substring(0, 60) + "…");
                }
            }
        }
        assertThat(tooLong)
                .as("README table cells longer than %d characters", MAX_CELL)
                .isEmpty();
    }

    @Test
    void everySectionLinkFindsItsSection() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Set<String> anchors = new HashSet<>();
        for (String line : readme.split("\n")) {
            if (line.startsWith("#")) {
                anchors.add(anchorOf(line.replaceFirst("^#+\\s*", "")));
            }
        }
        List<String> broken = new ArrayList<>();
        Matcher link = SECTION_LINK.matcher(readme);
        while (link.find()) {
            if (!anchors.contains(link.group(1))) {
                broken.add("#" + link.group(1));
            }
        }
        assertThat(broken).as("links to README sections that do not exist").isEmpty();
    }

    /** The anchor a Markdown renderer (GitHub's) gives a heading: lower case, punctuation dropped, spaces as dashes. */
    private static String anchorOf(String heading) {
        return heading.toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N} _-]", "")
                .replace(' ', '-');
    }
}
