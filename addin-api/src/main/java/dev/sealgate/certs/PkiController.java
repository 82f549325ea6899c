package dev.sealgate.certs;

import dev.sealgate.certprovider.local.LocalCertificateAuthority;
import dev.sealgate.web.Blocking;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Publishes the local CA's certificates and CRL, without authentication, so partners can check ours. */
@RestController
class PkiController {

    private static final MediaType PEM = MediaType.parseMediaType("application/x-pem-file");

    private final LocalCertificateAuthority localCa;

    PkiController(LocalCertificateAuthority localCa) {
        this.localCa = localCa;
    }

    @GetMapping(value = "/pki/ca.pem", produces = "application/x-pem-file")
    @Operation(summary = "The local CA's root and issuing CA certificates (PEM)")
    Mono<ResponseEntity<String>> caCertificates() {
        return Mono.fromSupplier(() -> ResponseEntity.ok().contentType(PEM).body(localCa.caCertificatesPem()));
    }

    @GetMapping(value = "/pki/crl.pem", produces = "application/x-pem-file")
    @Operation(summary = "The local CA's current CRL (PEM)")
    Mono<ResponseEntity<String>> crl() {
        return Blocking.call(() -> ResponseEntity.ok().contentType(PEM).body(localCa.crlPem()));
    }
}
