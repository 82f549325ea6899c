package dev.sealgate.files;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The portal's words in English and German, chosen by Accept-Language (English when neither fits). */
enum PortalText {
    TITLE_DOWNLOAD("Download a file", "Datei herunterladen"),
    TITLE_REPLY("Send files", "Dateien senden"),
    TITLE_UNAVAILABLE("Link not available", "Link nicht verfügbar"),
    TITLE_TOO_MANY("Too many attempts", "Zu viele Versuche"),
    UNAVAILABLE("This link is not available. It may have expired, been revoked or used up, or it was never valid. "
            + "Ask the sender for a new link.",
            "Dieser Link ist nicht verfügbar. Er ist vielleicht abgelaufen, widerrufen oder aufgebraucht, oder er war nie gültig. "
                    + "Bitten Sie den Absender um einen neuen Link."),
    TOO_MANY("Too many attempts. Please wait a few minutes and try again.",
            "Zu viele Versuche. Bitte warten Sie einige Minuten und versuchen Sie es erneut."),
    FILE("File", "Datei"),
    SIZE("Size", "Größe"),
    AVAILABLE_UNTIL("Available until", "Verfügbar bis"),
    PASSWORD("Password", "Kennwort"),
    PASSWORD_NEEDED("This file is protected by a password. The sender tells you the password separately.",
            "Diese Datei ist durch ein Kennwort geschützt. Der Absender teilt Ihnen das Kennwort gesondert mit."),
    WRONG_PASSWORD("The password is wrong.", "Das Kennwort ist falsch."),
    DOWNLOAD("Download", "Herunterladen"),
    REPLY_INTRO("Choose files to send to %s. The recipient gets a download link.",
            "Wählen Sie Dateien, die Sie an %s senden möchten. Der Empfänger erhält einen Download-Link."),
    CHOOSE("Files", "Dateien"),
    SEND("Send", "Senden"),
    SENT("Sent", "Gesendet"),
    FAILED("Failed", "Fehlgeschlagen");

    private static final List<Locale> SUPPORTED = List.of(Locale.ENGLISH, Locale.GERMAN);

    private final Map<String, String> byLanguage;

    PortalText(String english, String german) {
        this.byLanguage = Map.of("en", english, "de", german);
    }

    String in(Locale locale) {
        return byLanguage.getOrDefault(locale.getLanguage(), byLanguage.get("en"));
    }

    /** English or German, whichever the Accept-Language header prefers; English without a match. */
    static Locale choose(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank()) {
            return Locale.ENGLISH;
        }
        try {
            Locale match = Locale.lookup(Locale.LanguageRange.parse(acceptLanguage), SUPPORTED);
            return match == null ? Locale.ENGLISH : match;
        } catch (IllegalArgumentException e) {
            return Locale.ENGLISH;
        }
    }
}
