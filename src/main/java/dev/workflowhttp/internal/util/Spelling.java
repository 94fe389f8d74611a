package dev.workflowhttp.internal.util;

import java.util.Collection;
import java.util.Locale;

/**
 * Finds the name someone probably meant: the candidate within a few edits of a misspelled one, case ignored.
 */
public final class Spelling {

    private Spelling() {}

    /** The candidate at most {@code maxEdits} insertions, deletions or substitutions from {@code name}, or null. */
    public static String nearest(String name, Collection<String> candidates, int maxEdits) {
        String wanted = name.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = maxEdits + 1;
        for (String candidate : candidates) {
            int distance = editDistance(wanted, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
