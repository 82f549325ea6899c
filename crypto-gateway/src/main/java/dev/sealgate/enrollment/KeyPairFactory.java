package dev.sealgate.enrollment;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Key pairs and CSRs for enrollment: the key is made here and never leaves; the CSR does. */
final class KeyPairFactory {

    private KeyPairFactory() {
    }

    static KeyPair generate(EnrollmentSettings.KeyAlgorithm algorithm) {
        try {
            if (algorithm == EnrollmentSettings.KeyAlgorithm.EC) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                return generator.generateKeyPair();
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(3072);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot generate " + algorithm + " key pairs", e);
        }
    }

    /** A CSR naming the address in the subject (CN, E) and as rfc822Name in the requested SAN. */
    static PKCS10CertificationRequest csr(KeyPair keys, String address) {
        try {
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            extensions.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.rfc822Name, address)));
            var subject = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.CN, address)
                    .addRDN(BCStyle.EmailAddress, address)
                    .build();
            String signature = "RSA".equals(keys.getPrivate().getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic())
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                    .build(new JcaContentSignerBuilder(signature).build(keys.getPrivate()));
        } catch (java.io.IOException | OperatorCreationException e) {
            throw new IllegalStateException("could not build the CSR for " + address + " (" + e.getMessage() + ")", e);
        }
    }
}
