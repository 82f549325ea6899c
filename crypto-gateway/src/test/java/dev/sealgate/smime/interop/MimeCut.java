package dev.sealgate.smime.interop;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Cuts CMS out of S/MIME wire bytes and wraps peer CMS into S/MIME, by plain text scanning:
 * gpgsm speaks CMS only, and the cutting must not lean on the engine under test.
 */
public final class MimeCut {

    public record Detached(byte[] content, byte[] signature) {
    }

    private MimeCut() {
    }

    public static Detached detached(byte[] message) {
        String s = new String(message, StandardCharsets.ISO_8859_1);
        int b = s.indexOf("boundary=\"") + "boundary=\"".length();
        String boundary = "--" + s.substring(b, s.indexOf('"', b));
        int first = s.indexOf(boundary + "\r\n") + boundary.length() + 2;
        int second = s.indexOf("\r\n" + boundary + "\r\n", first);
        String content = s.substring(first, second);
        String sigPart = s.substring(second + 2 + boundary.length() + 2, s.indexOf("\r\n" + boundary + "--"));
        String sigBody = sigPart.substring(sigPart.indexOf("\r\n\r\n") + 4);
        return new Detached(content.getBytes(StandardCharsets.ISO_8859_1), Base64.getMimeDecoder().decode(sigBody));
    }

    public static byte[] opaque(byte[] message) {
        String s = new String(message, StandardCharsets.ISO_8859_1);
        return Base64.getMimeDecoder().decode(s.substring(s.indexOf("\r\n\r\n") + 4).strip());
    }

    public static byte[] wrapOpaque(String headers, String smimeType, byte[] cms) {
        return (headers + "MIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; smime-type=" + smimeType
                + "; name=\"smime.p7m\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(cms) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    public static byte[] wrapDetached(String headers, byte[] content, byte[] signature, String micalg) {
        String boundary = "----peer-boundary-4711";
        return (headers + "MIME-Version: 1.0\r\nContent-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg="
                + micalg + "; boundary=\"" + boundary + "\"\r\n\r\n--" + boundary + "\r\n"
                + new String(content, StandardCharsets.ISO_8859_1) + "\r\n--" + boundary + "\r\n"
                + "Content-Type: application/pkcs7-signature; name=\"smime.p7s\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(signature) + "\r\n--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }
}
