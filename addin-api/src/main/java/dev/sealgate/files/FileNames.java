package dev.sealgate.files;

import java.text.Normalizer;

/** Turns a name a client sent into one that is safe to store, show and offer for download. */
public final class FileNames {

    static final int MAX_LENGTH = 255;
    private static final String FALLBACK = "file";

    private FileNames() {
    }

    /**
     * Drops any directory part (both separators), control and format characters, characters Windows
     * refuses in names, leading dots and trailing dots/spaces; caps the length at 255 characters,
     * keeping the extension. Never returns an empty name.
     */
    public static String sanitise(String name) {
        if (name == null) {
            return FALLBACK;
        }
        String s = Normalizer.normalize(name, Normalizer.Form.NFC);
        int slash = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
        s = s.substring(slash + 1);
        StringBuilder clean = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            boolean control = Character.isISOControl(cp) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE || type == Character.PRIVATE_USE
                    || type == Character.UNASSIGNED;
            if (control || "<>:\"|?*".indexOf(cp) >= 0) {
                clean.append('_');
            } else {
                clean.appendCodePoint(cp);
            }
        });
        String result = clean.toString().replaceAll("^[.\\s]+", "").replaceAll("[.\\s]+$", "");
        if (result.isEmpty() || result.chars().allMatch(c -> c == '_')) {
            return FALLBACK;
        }
        if (result.codePointCount(0, result.length()) > MAX_LENGTH) {
            int dot = result.lastIndexOf('.');
            String extension = dot > 0 && result.length() - dot <= 16 ? result.substring(dot) : "";
            String stem = result.substring(0, result.length() - extension.length());
            int keep = MAX_LENGTH - extension.codePointCount(0, extension.length());
            result = stem.substring(0, stem.offsetByCodePoints(0, keep)) + extension;
        }
        return result;
    }
}
