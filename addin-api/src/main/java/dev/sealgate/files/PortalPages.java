package dev.sealgate.files;

import static dev.sealgate.files.Html.escape;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The portal's server-rendered pages. Every value from outside goes through {@link Html#escape}. */
final class PortalPages {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private PortalPages() {
    }

    static String unavailable(Locale locale) {
        return page(locale, PortalText.TITLE_UNAVAILABLE, "<p class=\"notice\" id=\"unavailable\">"
                + escape(PortalText.UNAVAILABLE.in(locale)) + "</p>", "");
    }

    static String tooManyAttempts(Locale locale) {
        return page(locale, PortalText.TITLE_TOO_MANY, "<p class=\"notice\" id=\"too-many\">"
                + escape(PortalText.TOO_MANY.in(locale)) + "</p>", "");
    }

    static String download(Locale locale, FileRepository.LinkRecord link, boolean wrongPassword) {
        StringBuilder body = new StringBuilder();
        body.append("<dl>")
                .append("<dt>").append(escape(PortalText.FILE.in(locale))).append("</dt><dd id=\"file-name\">")
                .append(escape(link.file().name())).append("</dd>")
                .append("<dt>").append(escape(PortalText.SIZE.in(locale))).append("</dt><dd id=\"file-size\">")
                .append(humanSize(link.file().size(), locale)).append("</dd>")
                .append("<dt>").append(escape(PortalText.AVAILABLE_UNTIL.in(locale))).append("</dt><dd>")
                .append(escape(TIME.format(earliest(link.expiresAt(), link.file().expiresAt())))).append("</dd>")
                .append("</dl>");
        body.append("<form method=\"post\" id=\"download-form\">");
        if (link.passwordHash() != null) {
            body.append("<p>").append(escape(PortalText.PASSWORD_NEEDED.in(locale))).append("</p>");
            if (wrongPassword) {
                body.append("<p class=\"error\" id=\"wrong-password\">").append(escape(PortalText.WRONG_PASSWORD.in(locale))).append("</p>");
            }
            body.append("<label for=\"password\">").append(escape(PortalText.PASSWORD.in(locale))).append("</label>")
                    .append("<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"off\" required>");
        }
        body.append("<button type=\"submit\" id=\"download\">").append(escape(PortalText.DOWNLOAD.in(locale))).append("</button>")
                .append("</form>");
        return page(locale, PortalText.TITLE_DOWNLOAD, body.toString(), "");
    }

    static String reply(Locale locale, String owner) {
        String body = "<p>" + escape(String.format(PortalText.REPLY_INTRO.in(locale), owner)) + "</p>"
                + "<form id=\"reply-form\" data-sent=\"" + escape(PortalText.SENT.in(locale)) + "\" data-failed=\""
                + escape(PortalText.FAILED.in(locale)) + "\">"
                + "<label for=\"files\">" + escape(PortalText.CHOOSE.in(locale)) + "</label>"
                + "<input type=\"file\" id=\"files\" name=\"files\" multiple required>"
                + "<button type=\"submit\" id=\"send\">" + escape(PortalText.SEND.in(locale)) + "</button>"
                + "</form><ul id=\"results\"></ul>";
        return page(locale, PortalText.TITLE_REPLY, body, "<script src=\"/portal/reply.js\" defer></script>");
    }

    private static String page(Locale locale, PortalText title, String body, String head) {
        return "<!DOCTYPE html>\n<html lang=\"" + locale.getLanguage() + "\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + escape(title.in(locale)) + "</title>"
                + "<link rel=\"stylesheet\" href=\"/portal/portal.css\">" + head + "</head>"
                + "<body><main><h1>" + escape(title.in(locale)) + "</h1>" + body + "</main></body></html>\n";
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    static String humanSize(long bytes, Locale locale) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(locale, "%.1f %s", value, units[unit]);
    }
}
