package dev.workflowhttp.bench;

import java.util.List;

/** The Markdown report, echoed to the console as it grows. */
final class Report {

    private final StringBuilder text = new StringBuilder();

    void heading(int level, String title) {
        append("\n" + "#".repeat(level) + " " + title + "\n\n");
    }

    void paragraph(String line) {
        append(line + "\n\n");
    }

    void line(String line) {
        append(line + "\n");
    }

    void table(List<String> header, List<List<String>> rows) {
        append("| " + String.join(" | ", header) + " |\n");
        append("|" + " --- |".repeat(header.size()) + "\n");
        for (List<String> row : rows) {
            append("| " + String.join(" | ", row) + " |\n");
        }
        append("\n");
    }

    private void append(String part) {
        text.append(part);
        System.out.print(part);
        System.out.flush();
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
