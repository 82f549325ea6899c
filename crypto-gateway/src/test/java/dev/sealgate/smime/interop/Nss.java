package dev.sealgate.smime.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.smime.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * NSS (the library inside Thunderbird) as an S/MIME peer, through Debian's {@code libnss3-tools}:
 * a throwaway certificate database made with {@code certutil} in a temp directory, keys imported
 * with {@code pk12util}, CMS made and read with {@code cmsutil} (ADR 0092). cmsutil speaks bare
 * CMS (DER); {@link MimeCut} cuts it out of S/MIME and wraps it back. Skips without the tools,
 * fails on CI (see {@link Peer#require}).
 */
public final class Nss {

    private static final String P12_PASSWORD = "nss-test-only";

    private final Path dir;
    private final String db;

    /** A new, empty certificate database under {@code dir} (a JUnit temp directory). */
    public Nss(Path dir) {
        Peer.requireOnPath("cmsutil");
        Peer.requireOnPath("certutil");
        Peer.requireOnPath("pk12util");
        this.dir = dir;
        try {
            this.db = "sql:" + Files.createDirectories(dir.resolve("nssdb"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ok("certutil", "-N", "-d", db, "--empty-password");
    }

    /** Trusts a root for e-mail (and as a CA in general), as an admin would in Thunderbird. */
    public Nss trust(X509Certificate root, String nickname) {
        ok("certutil", "-A", "-d", db, "-n", nickname, "-t", "C,C,C", "-i", pem(root, nickname).toString());
        return this;
    }

    /** Imports a certificate without trust (a partner to encrypt to). */
    public Nss add(X509Certificate certificate, String nickname) {
        ok("certutil", "-A", "-d", db, "-n", nickname, "-t", ",,", "-i", pem(certificate, nickname).toString());
        return this;
    }

    /** Imports a user's key and certificate (PKCS#12 made by openssl), under the user's address as nickname. */
    public Nss addKey(TestPki.Identity identity) {
        Path keys;
        try {
            keys = identity.writePem(dir.resolve("key-" + identity.email()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path p12 = keys.resolve("user.p12");
        ok("openssl", "pkcs12", "-export", "-in", keys.resolve("cert.pem").toString(), "-inkey", keys.resolve("key.pem").toString(),
                "-name", identity.email(), "-out", p12.toString(), "-passout", "pass:" + P12_PASSWORD);
        ok("pk12util", "-i", p12.toString(), "-d", db, "-W", P12_PASSWORD);
        return this;
    }

    /**
     * {@code cmsutil -D}: decodes (verifies, decrypts) bare CMS, with {@code detachedContent} for a
     * detached signature; stdout holds what it found as header lines ({@code signer0.status=GoodSignature}).
     */
    public Peer.Result decode(byte[] cms, byte[] detachedContent) {
        List<String> args = new ArrayList<>(List.of("cmsutil", "-D", "-n", "-h", "1", "-d", db, "-i", write("in", cms).toString()));
        if (detachedContent != null) {
            args.addAll(List.of("-c", write("content", detachedContent).toString()));
        }
        return Peer.run(dir, Map.of(), null, args.toArray(String[]::new));
    }

    /** The content {@code cmsutil -D} wrote for a decoded message (decrypted or signed content). */
    public byte[] decodedContent(byte[] cms) {
        Path out = dir.resolve("content-" + System.nanoTime());
        Peer.Result r = Peer.run(dir, Map.of(), null, "cmsutil", "-D", "-d", db, "-i", write("in", cms).toString(),
                "-o", out.toString());
        assertThat(r.ok()).as("cmsutil -D: " + r.describe()).isTrue();
        try {
            return Files.readAllBytes(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code cmsutil -S}: signs as the user named (imported with {@link #addKey}); detached when asked. */
    public Peer.Result sign(String nickname, byte[] content, String hash, boolean detached, Path out) {
        List<String> args = new ArrayList<>(List.of("cmsutil", "-S", "-G", "-P", "-N", nickname, "-H", hash, "-d", db,
                "-i", write("in", content).toString(), "-o", out.toString()));
        if (detached) {
            args.add("-T");
        }
        return Peer.run(dir, Map.of(), null, args.toArray(String[]::new));
    }

    /** {@code cmsutil -E}: encrypts to the recipient (its certificate in the database, by address or nickname). */
    public Peer.Result encrypt(String recipient, byte[] content, Path out) {
        return Peer.run(dir, Map.of(), null, "cmsutil", "-E", "-r", recipient, "-d", db, "-i", write("in", content).toString(),
                "-o", out.toString());
    }

    private Path pem(X509Certificate certificate, String name) {
        try {
            Path file = dir.resolve("cert-" + name.replaceAll("[^A-Za-z0-9.@-]", "_") + ".pem");
            TestPki.writePem(file, certificate);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path write(String prefix, byte[] content) {
        try {
            return Files.write(dir.resolve(prefix + "-" + System.nanoTime()), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void ok(String... command) {
        Peer.Result r = Peer.run(dir, Map.of(), null, command);
        assertThat(r.ok()).as(String.join(" ", command) + ": " + r.describe()).isTrue();
    }
}
