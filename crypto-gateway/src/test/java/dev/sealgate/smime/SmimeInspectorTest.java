package dev.sealgate.smime;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class SmimeInspectorTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            "multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=b | SIGNED_DETACHED",
            "multipart/signed; protocol=\"application/x-pkcs7-signature\"; micalg=sha1; boundary=b | SIGNED_DETACHED",
            "multipart/signed; protocol=\"application/pgp-signature\"; boundary=b | PLAIN",
            "application/pkcs7-mime; smime-type=signed-data; name=smime.p7m | SIGNED_OPAQUE",
            "application/x-pkcs7-mime; smime-type=enveloped-data; name=smime.p7m | ENVELOPED",
            "application/pkcs7-mime; smime-type=authEnveloped-data | AUTH_ENVELOPED",
            "application/pkcs7-mime; smime-type=certs-only | CERTS_ONLY",
            "text/plain; charset=utf-8 | PLAIN",
            "multipart/mixed; boundary=b | PLAIN"})
    void shouldDetectByContentType(String contentType, SmimeType expected) {
        String wire = "From: a@b.example\r\nMIME-Version: 1.0\r\nContent-Type: " + contentType + "\r\n\r\n--b\r\n\r\nx\r\n--b--\r\n";

        assertThat(SmimeInspector.detect(Messages.parse(wire))).isEqualTo(expected);
    }
}
