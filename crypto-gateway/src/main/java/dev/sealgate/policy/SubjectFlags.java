package dev.sealgate.policy;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Requests a sender without the add-in writes into the subject: {@code [encrypt]}, {@code [sign]},
 * {@code [nosign]}, {@code [plain]}, in any case and with any spaces ({@code [ En Crypt ]}), at the
 * start or the end of the (decoded) subject, several in a row. They are removed before sending. A
 * bracket that is not one of them ({@code [EXTERNAL]}) ends the run of flags on that side and stays.
 *
 * @param flags   the requests found
 * @param subject the subject without them (trimmed); null when the subject was null
 */
public record SubjectFlags(Set<Flag> flags, String subject) {

    public enum Flag {
        ENCRYPT,
        SIGN,
        NOSIGN,
        /** Neither encrypt nor sign. */
        PLAIN
    }

    private static final Pattern LEADING = Pattern.compile("^[\\s\\u00a0]*\\[([^\\[\\]]{1,40})\\]");
    private static final Pattern TRAILING = Pattern.compile("\\[([^\\[\\]]{1,40})\\][\\s\\u00a0]*$");
    private static final Pattern SPACE = Pattern.compile("[\\s\\u00a0]+");

    public SubjectFlags {
        flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
    }

    public static SubjectFlags parse(String subject) {
        if (subject == null) {
            return new SubjectFlags(Set.of(), null);
        }
        EnumSet<Flag> found = EnumSet.noneOf(Flag.class);
        String rest = subject;
        for (Matcher m = LEADING.matcher(rest); m.find(); m = LEADING.matcher(rest)) {
            Flag flag = flag(m.group(1));
            if (flag == null) {
                break;
            }
            found.add(flag);
            rest = rest.substring(m.end());
        }
        for (Matcher m = TRAILING.matcher(rest); m.find(); m = TRAILING.matcher(rest)) {
            Flag flag = flag(m.group(1));
            if (flag == null) {
                break;
            }
            found.add(flag);
            rest = rest.substring(0, m.start());
        }
        return new SubjectFlags(found, found.isEmpty() ? subject : SPACE.matcher(rest).replaceAll(" ").strip());
    }

    private static Flag flag(String inside) {
        return switch (SPACE.matcher(inside).replaceAll("").toLowerCase(Locale.ROOT)) {
            case "encrypt" -> Flag.ENCRYPT;
            case "sign" -> Flag.SIGN;
            case "nosign" -> Flag.NOSIGN;
            case "plain" -> Flag.PLAIN;
            default -> null;
        };
    }

    /** What the flags ask for, resolved: a request for protection wins over one against it. */
    public ProtectionRequest request() {
        Boolean encrypt = flags.contains(Flag.ENCRYPT) ? Boolean.TRUE : flags.contains(Flag.PLAIN) ? Boolean.FALSE : null;
        Boolean sign = flags.contains(Flag.SIGN) ? Boolean.TRUE
                : flags.contains(Flag.NOSIGN) || flags.contains(Flag.PLAIN) ? Boolean.FALSE : null;
        return new ProtectionRequest(encrypt, sign);
    }
}
