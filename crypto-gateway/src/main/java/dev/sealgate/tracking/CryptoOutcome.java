package dev.sealgate.tracking;

import java.util.Locale;

/**
 * The kind and a short, bounded result word of one crypto operation the pipeline recorded in a
 * tracking record ("sign" / "ok", "verify layer 1" / "untrusted; signer=..."): one reading for the
 * Prometheus counter and the console's overview, so both show the same figures.
 */
public final class CryptoOutcome {

    private CryptoOutcome() {
    }

    /** The kind ("sign", "encrypt", "decrypt", "verify") of a recorded operation; null for the rest. */
    public static String kind(String operation) {
        String first = operation == null ? "" : operation.strip().split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
        return switch (first) {
            case "sign", "encrypt", "decrypt", "verify" -> first;
            default -> null;
        };
    }

    /**
     * {@code ok}, {@code skipped} (the policy did not ask for it), {@code failed}, or for decrypt and
     * verify the verdict word ({@code no-key}, {@code not-opened}, {@code invalid}, {@code untrusted}, ...).
     */
    public static String result(String kind, String result) {
        String text = result == null ? "" : result.strip().toLowerCase(Locale.ROOT);
        if (text.startsWith("ok")) {
            return "ok";
        }
        return switch (kind) {
            case "sign", "encrypt" -> text.startsWith("no") ? "skipped" : "failed";
            case "decrypt" -> text.startsWith("no key") ? "no-key" : text.startsWith("not opened") ? "not-opened" : "failed";
            default -> {
                // verify: the verdict word before the first ';' (valid, invalid, untrusted, revoked, ...)
                String word = text.split("[;\\s]", 2)[0].replace('_', '-');
                yield word.equals("valid") ? "ok" : word.matches("[a-z-]{1,30}") ? word : "failed";
            }
        };
    }
}
