package dev.sealgate.smtp;

import java.util.regex.Pattern;

/**
 * SMTP reply texts as a stranger may read them: one line of printable ASCII, no Java class names
 * and no exception texts (those go to the event log). The mail path builds replies from its own
 * words; this is the net under it, applied where a reply leaves for a client or a notice.
 */
public final class Replies {

    private static final int MAX_LENGTH = 500;
    /** A qualified Java class name ({@code org.bouncycastle.asn1.DERSequence}, {@code java.lang.ClassCastException}). */
    private static final Pattern QUALIFIED_CLASS = Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.){2,}[A-Za-z_$][\\w$]*");
    /** An exception or error name as it appears in a library message ({@code ClassCastException:}, {@code NullPointerException}). */
    private static final Pattern EXCEPTION_NAME = Pattern.compile("\\b[A-Z][\\w$]*(?:Exception|Error)\\b:?");

    private Replies() {
    }

    /**
     * The reply with every class and exception name replaced by {@code (internal detail)}, control
     * characters removed, on one line and at most {@value #MAX_LENGTH} characters long.
     */
    public static String clean(String reply) {
        if (reply == null) {
            return null;
        }
        String text = reply.replaceAll("[\\r\\n\\t]+", " ").replaceAll("[^\\x20-\\x7e]", "?");
        text = QUALIFIED_CLASS.matcher(text).replaceAll("(internal detail)");
        text = EXCEPTION_NAME.matcher(text).replaceAll("(internal detail)");
        text = text.replaceAll("(\\(internal detail\\)[\\s:;,]*)+", "(internal detail) ").replaceAll(" +", " ").strip();
        return text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH - 3) + "..." : text;
    }

    /** Whether the text carries anything {@link #clean} would take out. */
    public static boolean leaksInternals(String text) {
        return text != null && (QUALIFIED_CLASS.matcher(text).find() || EXCEPTION_NAME.matcher(text).find());
    }
}
