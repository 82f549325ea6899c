package dev.sealgate.smime;

import org.bouncycastle.cms.CMSException;

import java.io.EOFException;

/** Turns library exceptions into the engine's one-line typed exceptions; package-private. */
final class Failures {

    private Failures() {
    }

    static SmimeException reading(String what, Exception e) {
        if (e instanceof SmimeException s) {
            return s;
        }
        return new SmimeFormatException("cannot read the " + what + ": " + describe(e)
                + "; the message is truncated or malformed, ask the sender to resend", e);
    }

    static SmimeException malformedCms(String what, Throwable e) {
        if (e instanceof SmimeException s) {
            return s;
        }
        return new SmimeFormatException("malformed CMS in " + what + ": " + describe(e)
                + "; the message is truncated or corrupt, ask the sender to resend", e);
    }

    /** The innermost useful message of a chain, on one line, never key material (library messages carry none). */
    static String describe(Throwable e) {
        Throwable t = e;
        String best = null;
        int depth = 0;
        while (t != null && depth++ < 8) {
            if (t instanceof EOFException) {
                return "unexpected end of data";
            }
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                best = t.getClass().getSimpleName() + ": " + t.getMessage();
            }
            if (t.getCause() == t || (t instanceof CMSException && t.getCause() == null)) {
                break;
            }
            t = t.getCause();
        }
        return MimeSupport.oneLine(best == null ? e.getClass().getSimpleName() : best);
    }
}
