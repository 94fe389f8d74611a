package dev.workflowhttp.internal.limit;

import dev.workflowhttp.internal.net.HostRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The limits set once for a component (its option {@code originLimits}), by origin or by host pattern, so that
 * routes need not repeat them. Written as entries separated by commas, each {@code <target>=<limits>}:
 * <ul>
 * <li>{@code <target>} is an origin, {@code scheme://host[:port]} ({@code https://api.example.com}), or a host
 * pattern of any scheme and port: a name ({@code api.example.com}), a wildcard name ({@code *.example.org}), an IP
 * address or a CIDR network;</li>
 * <li>{@code <limits>} is a rate ({@code 10/s}, {@code 600/m}, {@code 10/s burst 20}, see {@link RateLimit}), a
 * number of calls in flight {@code max=<n>}, or both separated by a semicolon ({@code 10/s;max=5}).</li>
 * </ul>
 * An origin's limits are those of the entry naming it; else those of the first host pattern that matches its host, in
 * the order written. A pattern gives each origin it matches limits of its own (it does not pool them).
 */
public final class LimitTable {

    /** The option's name, for messages. */
    public static final String OPTION = "originLimits";

    private static final String EXPECTED = "expected entries separated by commas, each <origin or host pattern>="
            + "<rate>[;max=<n>] or <origin or host pattern>=max=<n>, e.g. "
            + "https://api.example.com=10/s;max=5, *.example.org=100/m";

    private record Pattern(String written, HostRules rules, LimitSpec limits) {}

    /** An origin's limits, and the entry they come from (to name it in messages). */
    public record Match(LimitSpec limits, String declaredBy) {}

    private static final LimitTable EMPTY = new LimitTable(Map.of(), List.of());

    private final Map<Origin, Match> origins;
    private final List<Pattern> patterns;

    private LimitTable(Map<Origin, Match> origins, List<Pattern> patterns) {
        this.origins = origins;
        this.patterns = patterns;
    }

    /**
     * Reads the option's text; null or blank: no limits.
     *
     * @throws IllegalArgumentException naming the option, the entry and the expected form
     */
    public static LimitTable parse(String text) {
        if (text == null || text.isBlank()) {
            return EMPTY;
        }
        Map<Origin, Match> origins = new LinkedHashMap<>();
        List<Pattern> patterns = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        for (String raw : text.split(",")) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int equals = entry.indexOf('=');
            if (equals <= 0 || equals == entry.length() - 1) {
                throw invalid(entry, "no <target>=<limits>");
            }
            String target = entry.substring(0, equals).trim();
            LimitSpec limits = limits(entry, entry.substring(equals + 1));
            String declaredBy = "component option " + OPTION + " (" + entry + ")";
            if (target.contains("://")) {
                Origin origin;
                try {
                    origin = Origin.parse(target);
                } catch (IllegalArgumentException e) {
                    throw invalid(entry, e.getMessage());
                }
                if (origins.putIfAbsent(origin, new Match(limits, declaredBy)) != null) {
                    throw invalid(entry, "origin " + origin + " is named twice");
                }
            } else {
                if (targets.contains(target.toLowerCase(Locale.ROOT))) {
                    throw invalid(entry, "host pattern " + target + " is named twice");
                }
                HostRules rules;
                try {
                    rules = HostRules.parse(OPTION, target);
                } catch (IllegalArgumentException e) {
                    throw invalid(entry, e.getMessage());
                }
                targets.add(target.toLowerCase(Locale.ROOT));
                patterns.add(new Pattern(declaredBy, rules, limits));
            }
        }
        return new LimitTable(Map.copyOf(origins), List.copyOf(patterns));
    }

    private static LimitSpec limits(String entry, String text) {
        String rate = null;
        String max = null;
        for (String part : text.split(";")) {
            String item = part.trim();
            if (item.isEmpty()) {
                continue;
            }
            if (item.regionMatches(true, 0, "max=", 0, 4)) {
                if (max != null) {
                    throw invalid(entry, "max is given twice");
                }
                max = item.substring(4);
            } else {
                if (rate != null) {
                    throw invalid(entry, "two rates ('" + rate + "' and '" + item + "')");
                }
                rate = item;
            }
        }
        if (rate == null && max == null) {
            throw invalid(entry, "no rate and no max");
        }
        try {
            return new LimitSpec(
                    rate == null ? null : RateLimit.parse(OPTION, rate),
                    max == null ? 0 : LimitSpec.parseMaxConcurrent(OPTION + " max", max));
        } catch (IllegalArgumentException e) {
            throw invalid(entry, e.getMessage());
        }
    }

    private static IllegalArgumentException invalid(String entry, String why) {
        return new IllegalArgumentException(String.format(
                "Invalid value for component option %s: entry '%s': %s (%s)", OPTION, entry, why, EXPECTED));
    }

    /** The limits this table sets for {@code origin}, or null. */
    public Match match(Origin origin) {
        Match exact = origins.get(origin);
        if (exact != null) {
            return exact;
        }
        String host = origin.host();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        for (Pattern pattern : patterns) {
            if (pattern.rules().matchName(host) != null) {
                return new Match(pattern.limits(), pattern.written());
            }
        }
        return null;
    }

    /** The origins named (not the patterns), to declare when the component starts. */
    public Map<Origin, Match> origins() {
        return origins;
    }

    public boolean isEmpty() {
        return origins.isEmpty() && patterns.isEmpty();
    }
}
