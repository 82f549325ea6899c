package dev.sealgate.revocation;

import dev.sealgate.certs.Certificates;
import dev.sealgate.net.OutboundHttp;
import dev.sealgate.smime.RevocationStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Asks an OCSP responder (RFC 6960) about one certificate: a request with a nonce (RFC 8954) sent
 * by POST, an answer believed only when it is signed by the issuing CA or by a responder the CA
 * delegated to (id-kp-OCSPSigning, issued by that CA, valid now), echoes our nonce when it echoes
 * one at all, names our certificate, and is current (thisUpdate not in the future, nextUpdate not
 * passed). Thread-safe.
 */
final class OcspClient {

    private static final int NONCE_BYTES = 16;
    private static final long MAX_RESPONSE_BYTES = 1024 * 1024;

    private final OutboundHttp http;
    private final RevocationSettings settings;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    OcspClient(OutboundHttp http, RevocationSettings settings, Clock clock) {
        this.http = http;
        this.settings = settings;
        this.clock = clock;
    }

    /** An answer and until when it may be reused without asking again (only for good and revoked). */
    record Answer(RevocationStatus status, Instant freshUntil) {
    }

    Answer ask(X509Certificate certificate, X509Certificate issuer, String url) {
        String source = "OCSP responder " + url;
        CertificateID id;
        OCSPReq request;
        byte[] nonce = new byte[NONCE_BYTES];
        try {
            id = certificateId(certificate, issuer);
            OCSPReqBuilder builder = new OCSPReqBuilder().addRequest(id);
            if (settings.ocspNonce()) {
                random.nextBytes(nonce);
                builder.setRequestExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
                        new DEROctetString(nonce).getEncoded())));
            }
            request = builder.build();
        } catch (OCSPException | IOException | GeneralSecurityException | OperatorCreationException e) {
            return unknown(source + ": cannot build the request (" + e.getMessage() + ")");
        }
        OCSPResp response;
        try {
            HttpRequest post = http.request(URI.create(url))
                    .header("Content-Type", "application/ocsp-request")
                    .header("Accept", "application/ocsp-response")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request.getEncoded()))
                    .build();
            OutboundHttp.Response answer = http.send(post, MAX_RESPONSE_BYTES);
            if (answer.status() != 200) {
                return unknown(source + " answered HTTP " + answer.status());
            }
            response = new OCSPResp(answer.body());
        } catch (IOException | IllegalArgumentException e) {
            return unknown(source + " cannot be reached (" + oneLine(e) + ")");
        }
        if (response.getStatus() != OCSPResp.SUCCESSFUL) {
            return unknown(source + " refused the request (OCSP response status " + response.getStatus() + ")");
        }
        try {
            if (!(response.getResponseObject() instanceof BasicOCSPResp basic)) {
                return unknown(source + " sent no basic OCSP response");
            }
            return judge(basic, id, issuer, settings.ocspNonce() ? Optional.of(nonce) : Optional.empty(), source);
        } catch (OCSPException | RuntimeException e) {
            return unknown(source + " sent a malformed response (" + oneLine(e) + ")");
        }
    }

    private Answer judge(BasicOCSPResp basic, CertificateID id, X509Certificate issuer, Optional<byte[]> nonce, String source)
            throws OCSPException {
        Optional<String> signature = checkSignature(basic, issuer);
        if (signature.isPresent()) {
            return unknown(source + ": " + signature.get());
        }
        Extension echoed = basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (echoed != null && nonce.isPresent() && !Arrays.equals(echoed.getExtnValue().getOctets(), octetString(nonce.get()))) {
            return unknown(source + " echoed another nonce than ours: a replayed or misrouted answer, not believed");
        }
        SingleResp single = Arrays.stream(basic.getResponses()).filter(r -> r.getCertID().equals(id)).findFirst().orElse(null);
        if (single == null) {
            return unknown(source + " answered about other certificates than the one asked for");
        }
        Instant now = clock.instant();
        Instant thisUpdate = single.getThisUpdate().toInstant();
        if (thisUpdate.isAfter(now.plus(settings.clockSkew()))) {
            return unknown(source + " dated its answer in the future (thisUpdate " + thisUpdate + ")");
        }
        Instant freshUntil = single.getNextUpdate() != null
                ? single.getNextUpdate().toInstant()
                : thisUpdate.plus(settings.freshnessWithoutNextUpdate());
        if (now.isAfter(freshUntil.plus(settings.clockSkew()))) {
            return unknown(source + " sent a stale answer (" + (single.getNextUpdate() != null ? "nextUpdate " : "thisUpdate + freshness ")
                    + freshUntil + " has passed)");
        }
        CertificateStatus status = single.getCertStatus();
        if (status == CertificateStatus.GOOD) {
            return new Answer(new RevocationStatus.Good(source), freshUntil);
        }
        if (status instanceof RevokedStatus revoked) {
            String reason = revoked.hasRevocationReason() ? Reasons.name(revoked.getRevocationReason()) : Reasons.name(0);
            return new Answer(new RevocationStatus.Revoked(reason, revoked.getRevocationTime().toInstant(), source), freshUntil);
        }
        if (status instanceof UnknownStatus) {
            return unknown(source + " does not know the certificate");
        }
        return unknown(source + " sent a certificate status it does not define");
    }

    /** Empty when the answer is signed by the CA or its delegated responder; else why not. */
    private Optional<String> checkSignature(BasicOCSPResp basic, X509Certificate issuer) {
        try {
            if (basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(issuer.getPublicKey()))) {
                return Optional.empty();
            }
        } catch (OCSPException | OperatorCreationException e) {
            // not signed by the CA's key itself; a delegated responder may have signed it
        }
        List<X509CertificateHolder> carried = Arrays.asList(basic.getCerts());
        for (X509CertificateHolder holder : carried) {
            Optional<X509Certificate> responder = delegatedResponder(holder, issuer);
            if (responder.isEmpty()) {
                continue;
            }
            try {
                if (basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(responder.get().getPublicKey()))) {
                    return Optional.empty();
                }
            } catch (OCSPException | OperatorCreationException e) {
                return Optional.of("the responder's signature cannot be checked (" + e.getMessage() + ")");
            }
        }
        return Optional.of("the answer is signed neither by the issuing CA nor by a responder it delegated to "
                + "(id-kp-OCSPSigning): not believed");
    }

    private Optional<X509Certificate> delegatedResponder(X509CertificateHolder holder, X509Certificate issuer) {
        try {
            X509Certificate responder = new JcaX509CertificateConverter().getCertificate(holder);
            responder.verify(issuer.getPublicKey());
            responder.checkValidity(java.util.Date.from(clock.instant()));
            List<String> eku = responder.getExtendedKeyUsage();
            if (eku == null || !eku.contains(KeyPurposeId.id_kp_OCSPSigning.getId())) {
                return Optional.empty();
            }
            return Optional.of(responder);
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    static CertificateID certificateId(X509Certificate certificate, X509Certificate issuer)
            throws OperatorCreationException, OCSPException, GeneralSecurityException {
        // RFC 6960 CertID with SHA-1 hashes of the issuer's name and key: what every responder understands
        // (a lookup key, not a signature).
        return new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                new JcaX509CertificateHolder(issuer), certificate.getSerialNumber());
    }

    /** The cache key of a certificate checked against an issuer. */
    static String cacheKey(X509Certificate certificate, X509Certificate issuer) {
        return Certificates.fingerprint(certificate) + "/" + Certificates.fingerprint(issuer);
    }

    private static byte[] octetString(byte[] nonce) {
        try {
            return new DEROctetString(nonce).getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Answer unknown(String why) {
        return new Answer(new RevocationStatus.Unknown(why), Instant.MIN);
    }

    private static String oneLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("[\\r\\n]+", " ");
    }
}
