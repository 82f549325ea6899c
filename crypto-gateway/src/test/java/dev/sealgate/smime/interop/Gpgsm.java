package dev.sealgate.smime.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.smime.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * GnuPG's gpgsm 2.2 as an S/MIME judge for tests outside the interop matrix (end-to-end checks):
 * a throwaway {@code GNUPGHOME} with loopback pinentry, no CRL checks and no dirmngr, trusted
 * roots in its trust list, keys imported as legacy PKCS#12 (the only form gpgsm 2.2 reads, ADR
 * 0013). Call {@link #close()} to stop its agent. Skips without gpgsm, fails on CI.
 */
public final class Gpgsm implements AutoCloseable {

    private static final String PASSPHRASE = "gpgsm-test-only";

    private final Path dir;
    private final Path home;

    public Gpgsm(Path dir) {
        Peer.require("gpgsm", "--version");
        Peer.require("openssl", "version");
        this.dir = dir;
        try {
            home = Files.createDirectory(dir.resolve("gnupg"), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Files.writeString(home.resolve("gpg-agent.conf"), "allow-loopback-pinentry\n");
            Files.writeString(home.resolve("gpgsm.conf"), "disable-crl-checks\ndisable-dirmngr\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Imports a root and puts it into the trust list for S/MIME. */
    public Gpgsm trust(X509Certificate root) {
        try {
            Path pem = dir.resolve("root-" + System.nanoTime() + ".pem");
            TestPki.writePem(pem, root);
            ok(run(null, "--import", pem.toString()));
            String fingerprint = HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1").digest(root.getEncoded()));
            Files.writeString(home.resolve("trustlist.txt"), fingerprint + " S relax\n", java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Imports an RSA user's key and certificate as legacy (3DES) PKCS#12. */
    public Gpgsm addKey(TestPki.Identity identity) {
        try {
            Path keys = identity.writePem(dir.resolve("gpgsm-key-" + identity.email()));
            Path p12 = keys.resolve("legacy.p12");
            ok(Peer.run(dir, Map.of(), null, "openssl", "pkcs12", "-export", "-certpbe", "PBE-SHA1-3DES", "-keypbe",
                    "PBE-SHA1-3DES", "-macalg", "sha1", "-in", keys.resolve("cert.pem").toString(), "-inkey",
                    keys.resolve("key.pem").toString(), "-out", p12.toString(), "-passout", "pass:" + PASSPHRASE));
            ok(run(PASSPHRASE, "--import", p12.toString()));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decrypts bare CMS enveloped-data (DER) with an imported key; returns what it carried. */
    public byte[] decrypt(byte[] cms) {
        Path in = write("enc", cms);
        Path out = dir.resolve("gpgsm-out-" + System.nanoTime());
        ok(run(PASSPHRASE, "--decrypt", "--output", out.toString(), in.toString()));
        try {
            return Files.readAllBytes(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Verifies a detached signature (DER) over content; the result's stderr says "Good signature" when it holds. */
    public Peer.Result verifyDetached(byte[] signature, byte[] content) {
        return run(null, "--verify", write("sig", signature).toString(), write("content", content).toString());
    }

    private Peer.Result run(String passphrase, String... args) {
        List<String> cmd = new ArrayList<>(List.of("gpgsm", "--batch", "--yes", "--disable-policy-checks"));
        byte[] stdin = null;
        if (passphrase != null) {
            cmd.addAll(List.of("--pinentry-mode", "loopback", "--passphrase-fd", "0"));
            stdin = (passphrase + "\n").getBytes(StandardCharsets.US_ASCII);
        }
        cmd.addAll(List.of(args));
        return Peer.run(dir, Map.of("GNUPGHOME", home.toString()), stdin, cmd.toArray(String[]::new));
    }

    private Path write(String prefix, byte[] content) {
        try {
            return Files.write(dir.resolve("gpgsm-" + prefix + "-" + System.nanoTime()), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void ok(Peer.Result r) {
        assertThat(r.ok()).as(r.describe()).isTrue();
    }

    @Override
    public void close() {
        Peer.run(dir, Map.of("GNUPGHOME", home.toString()), null, "gpgconf", "--kill", "all");
    }
}
