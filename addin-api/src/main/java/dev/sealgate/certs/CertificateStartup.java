package dev.sealgate.certs;

import dev.sealgate.certprovider.local.LocalCertificateAuthority;
import dev.sealgate.tracking.EventLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;

/**
 * At start: imports the trust anchors listed in {@code sealgate.trust-anchors}, and puts the local
 * CA's root (anchor) and issuing CA (intermediate) into the store so own certificates chain. A file
 * that cannot be read is an event, not a failed start.
 */
class CertificateStartup implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(CertificateStartup.class);

    private final CertificateStore store;
    private final CertificateProperties properties;
    private final LocalCertificateAuthority localCa;
    private final EventLog events;

    CertificateStartup(CertificateStore store, CertificateProperties properties, LocalCertificateAuthority localCa,
                       EventLog events) {
        this.store = store;
        this.properties = properties;
        this.localCa = localCa;
        this.events = events;
    }

    @Override
    public void run(ApplicationArguments args) {
        List<X509Certificate> caCertificates = localCa.caCertificates();
        for (X509Certificate ca : caCertificates) {
            store.add(ca, Certificates.isSelfIssued(ca) ? CertificateKind.ANCHOR : CertificateKind.INTERMEDIATE,
                    TrustStatus.TRUSTED, CertificateOrigin.builtIn("local CA"));
        }
        int imported = 0;
        for (Path configured : properties.trustAnchors()) {
            for (Path file : files(configured)) {
                imported += importAnchors(file);
            }
        }
        if (!properties.trustAnchors().isEmpty()) {
            log.info("Trust anchors: {} certificates from {}", imported, properties.trustAnchors());
        }
    }

    private List<Path> files(Path configured) {
        if (Files.isDirectory(configured)) {
            try (Stream<Path> entries = Files.list(configured)) {
                return entries.filter(Files::isRegularFile).sorted().toList();
            } catch (IOException e) {
                events.warning("certificates", "Could not list the trust anchor folder " + configured
                        + "; check sealgate.trust-anchors and the folder's permissions", e.toString());
                return List.of();
            }
        }
        if (!Files.isRegularFile(configured)) {
            events.warning("certificates", "Trust anchor file " + configured + " does not exist; fix sealgate.trust-anchors", null);
            return List.of();
        }
        return List.of(configured);
    }

    private int importAnchors(Path file) {
        try {
            CertificateBundle bundle = CertificateParser.parse(Files.readAllBytes(file), null);
            for (X509Certificate certificate : bundle.certificates()) {
                store.add(certificate, CertificateKind.ANCHOR, TrustStatus.TRUSTED,
                        CertificateOrigin.imported("trust anchor file " + file + " (sealgate.trust-anchors)"));
            }
            return bundle.certificates().size();
        } catch (IOException | IllegalArgumentException e) {
            events.warning("certificates", "Trust anchor file " + file + " was not imported: " + e.getMessage()
                    + "; put PEM certificates there", null);
            return 0;
        }
    }
}
