package dev.sealgate.smime;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.smime.SMIMEAttributes;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataParser;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.CMSTypedStream;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.util.Store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies signed messages, detached and opaque: the signature, the chain to the trust anchors
 * (PKIX: validity; revocation by the CRLs given and by the revocation checker, for every
 * certificate of the path), the signer certificate's fitness for e-mail, and
 * the signer's address against the header From. Thread-safe.
 */
public final class SmimeVerifier {

    private static final String ANY_EKU = "2.5.29.37.0";

    private final TrustSettings trust;
    private final DigestCalculatorProvider digests;

    public SmimeVerifier(TrustSettings trust) {
        this.trust = Objects.requireNonNull(trust, "trust");
        try {
            this.digests = new JcaDigestCalculatorProviderBuilder().setProvider(JcaProviders.BC).build();
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("Bouncy Castle digests unavailable", e);
        }
    }

    /**
     * Verifies a signed message. A broken signature or an untrusted signer is a result, not an
     * exception; a message that is not signed or cannot be parsed is a {@link SmimeFormatException}.
     */
    public VerificationResult verify(MimeMessage message) {
        return verify(message, OutputStream.nullOutputStream());
    }

    /**
     * Verifies a signed message and writes the message it carries to {@code unwrapped}: the outer
     * headers and the signed MIME entity (opaque content without a MIME header block is labelled
     * {@code text/plain}). Streams.
     */
    public VerificationResult verify(MimeMessage message, OutputStream unwrapped) {
        SmimeType type = SmimeInspector.detect(message);
        if (!type.signed()) {
            throw new SmimeFormatException("the message is " + type + ", not signed: nothing to verify");
        }
        try {
            Optional<String> from = headerFrom(message);
            return type == SmimeType.SIGNED_DETACHED
                    ? verifyDetached(message, unwrapped, from)
                    : verifyOpaque(message, unwrapped, from);
        } catch (MessagingException | IOException e) {
            throw Failures.reading("signed message", e);
        } catch (CMSException | RuntimeException e) {
            throw Failures.malformedCms("the signature", e);
        }
    }

    private VerificationResult verifyDetached(MimeMessage message, OutputStream unwrapped, Optional<String> from)
            throws MessagingException, IOException, CMSException {
        Object content = message.getContent();
        if (!(content instanceof MimeMultipart multipart)) {
            throw new SmimeFormatException("multipart/signed without a multipart body: the message is malformed");
        }
        if (multipart.getCount() != 2) {
            throw new SmimeFormatException("multipart/signed has " + multipart.getCount()
                    + " parts instead of 2: the MIME structure is broken (boundary missing or repeated)");
        }
        BodyPart signedPart = multipart.getBodyPart(0);
        BodyPart signaturePart = multipart.getBodyPart(1);
        String sigType = MimeSupport.baseType((MimeBodyPart) signaturePart);
        if (!sigType.equals("application/pkcs7-signature") && !sigType.equals("application/x-pkcs7-signature")) {
            throw new SmimeFormatException("the second part of multipart/signed is " + sigType
                    + ", not application/pkcs7-signature: the MIME structure is broken");
        }
        MimeSupport.writeOuterHeaders(message, unwrapped);
        MimeSupport.writeLine(unwrapped, "MIME-Version: 1.0");
        InputStream signedContent = new TeeInputStream(canonicalPart((MimeBodyPart) signedPart), unwrapped);
        try (InputStream signature = signaturePart.getInputStream()) {
            CMSSignedDataParser parser = new CMSSignedDataParser(digests, new CMSTypedStream(signedContent), signature);
            parser.getSignedContent().drain();
            return evaluate(parser, from);
        }
    }

    private VerificationResult verifyOpaque(MimeMessage message, OutputStream unwrapped, Optional<String> from)
            throws MessagingException, IOException, CMSException {
        try (InputStream body = message.getInputStream()) {
            CMSSignedDataParser parser = new CMSSignedDataParser(digests, body);
            CMSTypedStream signed = parser.getSignedContent();
            if (signed == null) {
                throw new SmimeFormatException("opaque signed-data without content: the message is detached but labelled opaque");
            }
            MimeSupport.writeOuterHeaders(message, unwrapped);
            MimeSupport.writeLine(unwrapped, "MIME-Version: 1.0");
            EntityHeaderGuard entity = new EntityHeaderGuard(unwrapped);
            try (InputStream in = signed.getContentStream()) {
                in.transferTo(entity);
            }
            entity.finish();
            return evaluate(parser, from);
        }
    }

    /** The signed entity as the signer hashed it: its header lines and raw body, canonical CRLF. */
    private static InputStream canonicalPart(MimeBodyPart part) throws MessagingException, IOException {
        ByteArrayOutputStream headers = new ByteArrayOutputStream();
        Enumeration<String> lines = part.getAllHeaderLines();
        while (lines.hasMoreElements()) {
            headers.write(lines.nextElement().getBytes(MimeSupport.HEADER_CHARSET));
            headers.write(MimeSupport.CRLF);
        }
        headers.write(MimeSupport.CRLF);
        return new SequenceInputStream(MimeSupport.canonical(new ByteArrayInputStream(headers.toByteArray())),
                MimeSupport.canonical(part.getRawInputStream()));
    }

    private VerificationResult evaluate(CMSSignedDataParser parser, Optional<String> from) throws CMSException {
        Store<X509CertificateHolder> store = parser.getCertificates();
        List<X509Certificate> carried = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (X509CertificateHolder holder : store.getMatches(null)) {
            try {
                carried.add(converter.getCertificate(holder));
            } catch (CertificateException e) {
                throw new SmimeFormatException("the message carries a certificate that does not parse: " + Failures.describe(e), e);
            }
        }
        Collection<SignerInformation> signers = parser.getSignerInfos().getSigners();
        if (signers.isEmpty()) {
            throw new SmimeFormatException("signed-data without a signer: the message carries no signature");
        }
        VerificationResult best = null;
        for (SignerInformation signer : signers) {
            VerificationResult r = evaluateSigner(signer, store, carried, from);
            if (best == null || r.status().ordinal() < best.status().ordinal()) {
                best = r;
            }
        }
        return best;
    }

    private VerificationResult evaluateSigner(SignerInformation signer, Store<X509CertificateHolder> store,
                                              List<X509Certificate> carried, Optional<String> from) {
        AttributeTable signed = signer.getSignedAttributes();
        SmimeCapabilities caps = SmimeCapabilities.from(signed);
        Optional<Instant> signingTime = signingTime(signed);
        X509Certificate cert = findSigner(signer, store, carried);
        if (cert == null) {
            return new VerificationResult(VerificationStatus.UNTRUSTED_CHAIN, EnumSet.of(VerificationCheck.CHAIN),
                    "the signer certificate is not in the message nor among the known intermediates: ask the sender to include it",
                    Optional.empty(), Optional.empty(), signingTime, caps, Optional.empty(), carried);
        }
        Set<VerificationCheck> failed = EnumSet.noneOf(VerificationCheck.class);
        List<String> reasons = new ArrayList<>();
        String who = Certificates.describe(cert);
        try {
            // Built on the bare public key: BC's certificate-based verifier would also judge validity at the
            // signing time and report an expired certificate as a broken signature. Validity is the path check's.
            if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(JcaProviders.BC)
                    .build(cert.getPublicKey()))) {
                failed.add(VerificationCheck.SIGNATURE);
                reasons.add("the signature does not match the signer certificate " + who + ": forged or corrupted");
            }
        } catch (CMSSignerDigestMismatchException e) {
            failed.add(VerificationCheck.SIGNATURE);
            reasons.add("the content was changed after it was signed (digest mismatch): do not trust it");
        } catch (CMSException | OperatorCreationException | RuntimeException e) {
            failed.add(VerificationCheck.SIGNATURE);
            reasons.add("the signature cannot be verified: " + Failures.describe(e));
        }
        checkKeyUsage(cert, failed, reasons);
        List<CertificateRevocation> revocation = checkPath(cert, carried, failed, reasons);
        Optional<String> address = checkAddress(cert, from, failed, reasons);
        Optional<CertificateRevocation> unknown = revocation.stream().filter(CertificateRevocation::unknown).findFirst();
        unknown.ifPresent(u -> reasons.add("the revocation status of " + Certificates.describe(u.certificate())
                + " cannot be determined (" + u.status().source() + ")"));
        VerificationStatus status = status(failed, unknown.isPresent());
        String reason = reasons.isEmpty()
                ? "signature by " + address.orElse(who) + " is valid and trusted"
                : reasons.get(0);
        return new VerificationResult(status, failed, reason, Optional.of(cert), address, signingTime, caps,
                encryptionKeyPreference(signed, carried), carried, revocation);
    }

    private static VerificationStatus status(Set<VerificationCheck> failed, boolean revocationUnknown) {
        if (failed.contains(VerificationCheck.SIGNATURE)) {
            return VerificationStatus.BAD_SIGNATURE;
        }
        if (failed.contains(VerificationCheck.REVOCATION)) {
            return VerificationStatus.REVOKED;
        }
        if (failed.contains(VerificationCheck.VALIDITY)) {
            return VerificationStatus.EXPIRED;
        }
        if (failed.contains(VerificationCheck.CHAIN) || failed.contains(VerificationCheck.KEY_USAGE)) {
            return VerificationStatus.UNTRUSTED_CHAIN;
        }
        if (failed.contains(VerificationCheck.SIGNER_ADDRESS)) {
            return VerificationStatus.ADDRESS_MISMATCH;
        }
        return revocationUnknown ? VerificationStatus.REVOCATION_UNKNOWN : VerificationStatus.VALID;
    }

    private X509Certificate findSigner(SignerInformation signer, Store<X509CertificateHolder> store,
                                       List<X509Certificate> carried) {
        @SuppressWarnings("unchecked")
        Collection<X509CertificateHolder> matches = store.getMatches(signer.getSID());
        if (!matches.isEmpty()) {
            try {
                return new JcaX509CertificateConverter().getCertificate(matches.iterator().next());
            } catch (CertificateException e) {
                return null;
            }
        }
        for (X509Certificate c : trust.intermediates()) {
            try {
                if (signer.getSID().match(new X509CertificateHolder(c.getEncoded()))) {
                    return c;
                }
            } catch (IOException | java.security.cert.CertificateEncodingException e) {
                // an unreadable configured certificate simply does not match
            }
        }
        return null;
    }

    private static void checkKeyUsage(X509Certificate cert, Set<VerificationCheck> failed, List<String> reasons) {
        boolean[] usage = cert.getKeyUsage();
        if (usage != null && !(usage[0] || usage[1])) {
            failed.add(VerificationCheck.KEY_USAGE);
            reasons.add("the signer certificate " + Certificates.describe(cert)
                    + " lacks key usage digitalSignature/nonRepudiation: it was not issued for signing e-mail");
        }
        try {
            List<String> eku = cert.getExtendedKeyUsage();
            if (eku != null && !eku.contains(KeyPurposeId.id_kp_emailProtection.getId()) && !eku.contains(ANY_EKU)) {
                failed.add(VerificationCheck.KEY_USAGE);
                reasons.add("the signer certificate " + Certificates.describe(cert)
                        + " has an extended key usage without emailProtection: it was not issued for e-mail");
            }
        } catch (java.security.cert.CertificateParsingException e) {
            failed.add(VerificationCheck.KEY_USAGE);
            reasons.add("the signer certificate's extended key usage does not parse: " + Failures.describe(e));
        }
    }

    /** Builds and checks the path; returns the revocation checker's answers for it (empty without a checker or a path). */
    private List<CertificateRevocation> checkPath(X509Certificate cert, List<X509Certificate> carried,
                                                  Set<VerificationCheck> failed, List<String> reasons) {
        Date at = Date.from(trust.validationTime().orElseGet(Instant::now));
        List<Object> pool = new ArrayList<>(carried);
        pool.addAll(trust.intermediates());
        pool.addAll(trust.crls());
        try {
            CertStore certStore = CertStore.getInstance("Collection", new CollectionCertStoreParameters(pool));
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(cert);
            PKIXBuilderParameters params = new PKIXBuilderParameters(trust.anchors(), target);
            params.addCertStore(certStore);
            params.setRevocationEnabled(false);
            params.setDate(at);
            CertPath path;
            TrustAnchor anchor;
            try {
                PKIXCertPathBuilderResult built = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(params);
                path = built.getCertPath();
                anchor = built.getTrustAnchor();
            } catch (CertPathBuilderException e) {
                if (expired(cert, carried, at)) {
                    failed.add(VerificationCheck.VALIDITY);
                    reasons.add("the signer certificate " + Certificates.describe(cert) + " or its issuer is not valid at "
                            + at.toInstant() + ": the sender must renew it");
                } else {
                    failed.add(VerificationCheck.CHAIN);
                    reasons.add("no path from the signer certificate " + Certificates.describe(cert)
                            + " to a trust anchor: import the issuing CA as trusted if it is");
                }
                return List.of();
            }
            List<CertificateRevocation> revocation = trust.revocation()
                    .map(checker -> askChecker(checker, path, anchor))
                    .orElse(List.of());
            revocation.stream().filter(CertificateRevocation::revoked).findFirst().ifPresent(r -> {
                RevocationStatus.Revoked revoked = (RevocationStatus.Revoked) r.status();
                failed.add(VerificationCheck.REVOCATION);
                reasons.add((r.certificate().equals(cert) ? "the signer certificate " : "the CA certificate ")
                        + Certificates.describe(r.certificate()) + " of the chain is revoked (" + revoked.reason()
                        + ", since " + revoked.time() + ", says " + revoked.source() + "): do not trust this signature");
            });
            if (trust.crls().isEmpty()) {
                return revocation;
            }
            PKIXParameters validation = new PKIXParameters(trust.anchors());
            validation.addCertStore(certStore);
            validation.setRevocationEnabled(true);
            validation.setDate(at);
            try {
                CertPathValidator.getInstance("PKIX").validate(path, validation);
            } catch (CertPathValidatorException e) {
                if (e.getReason() == CertPathValidatorException.BasicReason.REVOKED) {
                    failed.add(VerificationCheck.REVOCATION);
                    reasons.add("a certificate of the signer's chain is revoked (" + Failures.describe(e)
                            + "): do not trust this signature");
                } else {
                    // Not knowing is not "revoked": the chain is untrusted until a CRL covers it.
                    failed.add(VerificationCheck.CHAIN);
                    reasons.add("revocation cannot be checked (" + Failures.describe(e)
                            + "): provide a current CRL for every CA of the chain");
                }
            }
            return revocation;
        } catch (GeneralSecurityException e) {
            failed.add(VerificationCheck.CHAIN);
            reasons.add("the chain cannot be checked: " + Failures.describe(e));
            return List.of();
        }
    }

    /** The checker's answers; a checker that fails makes every answer unknown, never the verification. */
    private static List<CertificateRevocation> askChecker(RevocationChecker checker, CertPath path, TrustAnchor anchor) {
        List<X509Certificate> chain = new ArrayList<>();
        for (java.security.cert.Certificate c : path.getCertificates()) {
            chain.add((X509Certificate) c);
        }
        if (anchor.getTrustedCert() == null) {
            return chain.stream().map(c -> new CertificateRevocation(c,
                    new RevocationStatus.Unknown("the trust anchor has no certificate to check against"))).toList();
        }
        chain.add(anchor.getTrustedCert());
        try {
            return checker.check(chain);
        } catch (RuntimeException e) {
            return chain.subList(0, chain.size() - 1).stream().map(c -> new CertificateRevocation(c,
                    new RevocationStatus.Unknown("the revocation check failed: " + Failures.describe(e)))).toList();
        }
    }

    private boolean expired(X509Certificate cert, List<X509Certificate> carried, Date at) {
        List<X509Certificate> all = new ArrayList<>(carried);
        all.add(cert);
        all.addAll(trust.intermediates());
        trust.anchors().forEach(a -> {
            if (a.getTrustedCert() != null) {
                all.add(a.getTrustedCert());
            }
        });
        for (X509Certificate c : all) {
            if (at.before(c.getNotBefore()) || at.after(c.getNotAfter())) {
                return true;
            }
        }
        return false;
    }

    private static Optional<String> checkAddress(X509Certificate cert, Optional<String> from,
                                                 Set<VerificationCheck> failed, List<String> reasons) {
        List<String> addresses = Certificates.emailAddresses(cert);
        if (from.isPresent()) {
            for (String a : addresses) {
                if (Certificates.sameAddress(a, from.get())) {
                    return Optional.of(from.get());
                }
            }
        }
        failed.add(VerificationCheck.SIGNER_ADDRESS);
        reasons.add(from.isEmpty()
                ? "the message has no usable header From to match the signer certificate against"
                : "header From " + from.get() + " is not among the signer certificate's addresses " + addresses
                + ": the certificate belongs to someone else");
        return addresses.stream().findFirst();
    }

    /** RFC 8551 2.5.3: the preferred encryption certificate, named by issuer and serial or key identifier. */
    private static Optional<X509Certificate> encryptionKeyPreference(AttributeTable signed, List<X509Certificate> carried) {
        if (signed == null) {
            return Optional.empty();
        }
        Attribute attr = signed.get(SMIMEAttributes.encrypKeyPref);
        if (attr == null || attr.getAttrValues().size() == 0) {
            return Optional.empty();
        }
        try {
            ASN1TaggedObject choice = ASN1TaggedObject.getInstance(attr.getAttrValues().getObjectAt(0));
            for (X509Certificate c : carried) {
                if (choice.getTagNo() == 0) {
                    IssuerAndSerialNumber ias = IssuerAndSerialNumber.getInstance(
                            ASN1Sequence.getInstance(choice, false));
                    if (ias.getSerialNumber().getValue().equals(c.getSerialNumber())
                            && Arrays.equals(ias.getName().getEncoded(), c.getIssuerX500Principal().getEncoded())) {
                        return Optional.of(c);
                    }
                } else if (choice.getTagNo() == 2 && Arrays.equals(
                        ASN1OctetString.getInstance(choice, false).getOctets(), Certificates.subjectKeyIdentifier(c))) {
                    return Optional.of(c);
                }
            }
        } catch (IOException | RuntimeException malformed) {
            // A broken preference must not fail verification; the caller falls back to the signer certificate.
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static Optional<Instant> signingTime(AttributeTable signed) {
        if (signed == null) {
            return Optional.empty();
        }
        Attribute attr = signed.get(CMSAttributes.signingTime);
        if (attr == null || attr.getAttrValues().size() == 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Time.getInstance(attr.getAttrValues().getObjectAt(0)).getDate().toInstant());
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
    }

    private static Optional<String> headerFrom(MimeMessage message) {
        try {
            String[] raw = message.getHeader("From");
            if (raw == null || raw.length == 0) {
                return Optional.empty();
            }
            InternetAddress[] parsed = InternetAddress.parseHeader(raw[0], false);
            return parsed.length == 0 ? Optional.empty() : Optional.of(parsed[0].getAddress());
        } catch (MessagingException e) {
            return Optional.empty();
        }
    }

    /** Copies everything read to a second stream: the unwrapped message is written while it is hashed. */
    private static final class TeeInputStream extends java.io.FilterInputStream {
        private final OutputStream copy;

        TeeInputStream(InputStream in, OutputStream copy) {
            super(in);
            this.copy = copy;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                copy.write(b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                copy.write(b, off, n);
            }
            return n;
        }
    }
}
