package dev.sealgate.certs;

import dev.sealgate.certprovider.RevocationReason;
import dev.sealgate.enrollment.EnrollmentService;
import dev.sealgate.enrollment.EnrollmentView;
import dev.sealgate.security.Actor;
import dev.sealgate.tracking.EventLog;
import dev.sealgate.web.Blocking;
import io.swagger.v3.oas.annotations.Operation;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/** Import, list, export, delete and revoke certificates of the store. */
@RestController
@RequestMapping("/api/v1/admin/certificates")
class CertificateAdminController {

    private final CertificateStore store;
    private final EnrollmentService enrollment;
    private final EventLog events;
    private final Clock clock;

    CertificateAdminController(CertificateStore store, EnrollmentService enrollment, EventLog events, Clock clock) {
        this.store = store;
        this.enrollment = enrollment;
        this.events = events;
        this.clock = clock;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Import PEM, DER or PKCS#12 (content as PEM text or base64; password for PKCS#12)")
    Mono<List<CertificateView>> importCertificates(@RequestBody CertificateImportRequest request) {
        return Actor.current().flatMap(who -> Blocking.call(() -> {
            CertificateKind kind = request.kind() == null ? CertificateKind.PARTNER : request.kind();
            if (kind != CertificateKind.PARTNER && kind != CertificateKind.ANCHOR) {
                throw new IllegalArgumentException("kind must be PARTNER or ANCHOR; certificates with a private key "
                        + "become OWN by themselves, was " + kind);
            }
            char[] password = request.password() == null ? null : request.password().toCharArray();
            try {
                CertificateBundle bundle;
                try {
                    bundle = CertificateParser.parse(decode(request.content()), password);
                } catch (IllegalArgumentException refused) {
                    events.warning("certificates", "Certificate import refused: " + refused.getMessage(), null);
                    throw refused;
                }
                List<StoredCertificate> stored = store.importBundle(bundle, kind, CertificateOrigin.imported(who));
                if (request.domainCertificateFor() != null && !stored.isEmpty()) {
                    store.setDomainCertificate(stored.get(0).id(), request.domainCertificateFor());
                }
                events.info("certificates", "Imported " + stored.size() + " certificates and " + bundle.crls().size()
                        + " CRLs", stored.stream().map(c -> c.kind() + " " + c.subject()).toList().toString());
                List<CertificateView> views = stored.stream().map(c -> store.get(c.id()).orElseThrow())
                        .map(c -> CertificateView.imported(c, kind)).toList();
                views.stream().filter(v -> !v.warnings().isEmpty()).forEach(v -> events.warning("certificates",
                        "Imported certificate " + v.subject() + " is not usable as " + kind.name().toLowerCase(java.util.Locale.ROOT),
                        String.join("; ", v.warnings().stream().map(w -> w.message() + " [" + w.code() + "]").toList())));
                return views;
            } finally {
                if (password != null) {
                    Arrays.fill(password, '\0');
                }
            }
        }));
    }

    private static byte[] decode(String content) {
        if (content == null || content.isBlank()) {
            throw new IllegalArgumentException("not a certificate: content is empty; send PEM text or base64 of DER or PKCS#12");
        }
        if (content.contains("-----BEGIN")) {
            return content.getBytes(StandardCharsets.US_ASCII);
        }
        try {
            return Base64.getMimeDecoder().decode(content.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a certificate: content is neither PEM nor base64 ("
                    + e.getMessage() + ")");
        }
    }

    @GetMapping
    @Operation(summary = "List or search certificates, newest first")
    Mono<List<CertificateView>> list(@RequestParam(required = false) String q,
                                     @RequestParam(required = false) String address,
                                     @RequestParam(required = false) CertificateKind kind,
                                     @RequestParam(defaultValue = "100") int limit) {
        CertificateQuery query = new CertificateQuery(q, address, kind, limit);
        return Blocking.call(() -> store.search(query).stream().map(CertificateView::of).toList());
    }

    @GetMapping("/{id}")
    @Operation(summary = "One certificate's metadata")
    Mono<CertificateView> get(@PathVariable long id) {
        return Blocking.call(() -> CertificateView.of(find(id)));
    }

    @GetMapping("/{id}/chain")
    @Operation(summary = "The certificate's chain up to a trust anchor: each element's subject, issuer, validity and status,"
            + " or why no chain to a trust anchor is found",
            description = "Built by the PKIX path builder over the stored CA certificates and trust anchors, judged now;"
                    + " status REVOKED is the store's knowledge (CRLs imported or fetched, own certificates revoked here).")
    Mono<CertificateChainView> chain(@PathVariable long id) {
        return Blocking.call(() -> {
            StoredCertificate c = find(id);
            return CertificateChainView.of(id, store.trustPath(c.certificate()), store, clock.instant());
        });
    }

    @GetMapping(value = "/{id}/pem", produces = "application/x-pem-file")
    @Operation(summary = "Export the public certificate as PEM")
    Mono<ResponseEntity<String>> pem(@PathVariable long id) {
        return Blocking.call(() -> {
            StoredCertificate c = find(id);
            String pem = "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(c.certificate().getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
            return ResponseEntity.ok()
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + c.fingerprint().substring(0, 16) + ".pem\"")
                    .contentType(MediaType.parseMediaType("application/x-pem-file"))
                    .body(pem);
        });
    }

    @GetMapping(value = "/{id}/der", produces = "application/pkix-cert")
    @Operation(summary = "Export the public certificate as DER")
    Mono<ResponseEntity<byte[]>> der(@PathVariable long id) {
        return Blocking.call(() -> {
            StoredCertificate c = find(id);
            return ResponseEntity.ok()
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + c.fingerprint().substring(0, 16) + ".cer\"")
                    .contentType(MediaType.parseMediaType("application/pkix-cert"))
                    .body(c.certificate().getEncoded());
        });
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a certificate (and its private key)")
    Mono<Void> delete(@PathVariable long id) {
        return Blocking.run(() -> {
            StoredCertificate c = find(id);
            store.delete(id);
            events.warning("certificates", "Deleted " + c.kind() + " certificate " + c.subject(), "fingerprint " + c.fingerprint());
        });
    }

    /** @param domain the domain this certificate stands in for; null or empty ends that role */
    record DomainCertificateRequest(String domain) {
    }

    @PutMapping("/{id}/domain")
    @Operation(summary = "Make the certificate the domain certificate of a domain (null domain: end it)")
    Mono<CertificateView> domain(@PathVariable long id, @RequestBody DomainCertificateRequest request) {
        return Blocking.call(() -> {
            find(id);
            store.setDomainCertificate(id, request.domain());
            return CertificateView.of(find(id));
        });
    }

    /** @param reason RFC 5280 reason, default UNSPECIFIED */
    record RevocationRequest(RevocationReason reason) {
    }

    @PostMapping("/{id}/revoke")
    @Operation(summary = "Revoke an own certificate at its provider; recorded in the enrollment log")
    Mono<EnrollmentView> revoke(@PathVariable long id, @RequestBody(required = false) RevocationRequest request) {
        RevocationReason reason = request == null || request.reason() == null ? RevocationReason.UNSPECIFIED : request.reason();
        return Blocking.call(() -> {
            find(id);
            return EnrollmentView.of(enrollment.revoke(id, reason));
        });
    }

    private StoredCertificate find(long id) {
        return store.get(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no certificate with id " + id));
    }
}
