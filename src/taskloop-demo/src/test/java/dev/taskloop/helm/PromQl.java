package dev.taskloop.helm;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression selects, found by a small lexer rather than a full parser:
 * strings, label matchers ({@code {...}}), ranges and subqueries ({@code [...]}), numbers, durations
 * and Grafana variables are skipped; an identifier followed by {@code (} is a function or an
 * aggregation; the label lists after {@code by}, {@code without}, {@code on}, {@code ignoring},
 * {@code group_left} and {@code group_right} are skipped; keywords are skipped. Every other identifier
 * is a metric name. Grafana's {@code label_values(metric, label)} is read as its metric.
 * A selector by {@code {__name__="..."}} alone is not recognised (the dashboard does not use one).
 */
public final class PromQl {

    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "bool",
            "offset", "and", "or", "unless", "atan2", "inf", "nan", "start", "end");
    private static final Set<String> LABEL_LISTS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
    private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar", "count",
            "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\s*\\((.*),\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)\\s*$", Pattern.DOTALL);
    private static final Pattern LABEL_VALUES_NO_METRIC = Pattern.compile("^\\s*label_values\\s*\\(\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)\\s*$");

    private PromQl() {
    }

    /** The metric names {@code expression} selects, in order of appearance. */
    public static Set<String> metricNames(String expression) {
        Matcher labelValues = LABEL_VALUES.matcher(expression);
        if (labelValues.matches()) {
            return metricNames(labelValues.group(1));
        }
        if (LABEL_VALUES_NO_METRIC.matcher(expression).matches()) {
            return Set.of();
        }
        Set<String> names = new LinkedHashSet<>();
        String s = expression;
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"' || c == '\'' || c == '`') {
                i = skipString(s, i);
            } else if (c == '{') {
                i = skipTo(s, i, '}');
            } else if (c == '[') {
                i = skipTo(s, i, ']');
            } else if (c == '#') {
                while (i < n && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '$') {
                i++;
                if (i < n && s.charAt(i) == '{') {
                    i = skipTo(s, i, '}');
                } else {
                    while (i < n && isIdentifierPart(s.charAt(i))) {
                        i++;
                    }
                }
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(s.charAt(i + 1)))) {
                while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '.' || s.charAt(i) == '_')) {
                    i++;
                }
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                int start = i;
                while (i < n && isIdentifierPart(s.charAt(i))) {
                    i++;
                }
                String word = s.substring(start, i);
                int next = skipWhitespace(s, i);
                boolean call = next < n && s.charAt(next) == '(';
                if (LABEL_LISTS.contains(word.toLowerCase())) {
                    if (call) {
                        i = skipTo(s, next, ')');
                    }
                } else if (KEYWORDS.contains(word.toLowerCase()) || call) {
                    // a keyword, a function or an aggregation
                } else if (AGGREGATIONS.contains(word) && startsWithWord(s, next, "by", "without")) {
                    // sum by (...) (...)
                } else {
                    names.add(word);
                }
            } else {
                i++;
            }
        }
        return names;
    }

    private static boolean startsWithWord(String s, int at, String... words) {
        for (String w : words) {
            if (s.startsWith(w, at) && (at + w.length() >= s.length() || !isIdentifierPart(s.charAt(at + w.length())))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == ':';
    }

    private static int skipWhitespace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int skipString(String s, int i) {
        char quote = s.charAt(i++);
        while (i < s.length() && s.charAt(i) != quote) {
            i += s.charAt(i) == '\\' && quote != '`' ? 2 : 1;
        }
        return i + 1;
    }

    /** From the opening bracket at {@code i}, past its closing {@code close}, skipping strings inside. */
    private static int skipTo(String s, int i, char close) {
        i++;
        while (i < s.length() && s.charAt(i) != close) {
            char c = s.charAt(i);
            i = c == '"' || c == '\'' || c == '`' ? skipString(s, i) : i + 1;
        }
        if (i >= s.length()) {
            throw new IllegalArgumentException("unbalanced '" + close + "' in PromQL: " + s);
        }
        return i + 1;
    }
}
