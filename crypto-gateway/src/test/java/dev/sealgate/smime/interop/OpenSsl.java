package dev.sealgate.smime.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.smime.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Makes S/MIME messages with the real {@code openssl cms}, layer by layer, for tests that judge
 * how the gateway reads what others make (issue 9): sign (detached or opaque, any digest), encrypt,
 * and the MIME plumbing between layers. A layer's input is a MIME entity ({@link #entity}: the
 * Content-* header lines and the body, as a mail client signs it); the message headers go on at
 * the end ({@link #withHeaders}). Skips without openssl, fails on CI (see {@link Peer#require}).
 */
public final class OpenSsl {

    private final Path dir;

    /** Works in {@code dir} (a JUnit temp directory): keys, inputs and outputs go there. */
    public OpenSsl(Path dir) {
        Peer.require("openssl", "version");
        this.dir = dir;
    }

    /** Runs {@code openssl <args>} in the work directory and asserts that it succeeded. */
    public Peer.Result ok(String... args) {
        Peer.Result r = run(args);
        assertThat(r.ok()).as("openssl " + String.join(" ", args) + ": " + r.describe()).isTrue();
        return r;
    }

    /** Runs {@code openssl <args>} in the work directory. */
    public Peer.Result run(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "openssl";
        System.arraycopy(args, 0, command, 1, args.length);
        return Peer.run(dir, Map.of(), null, command);
    }

    /**
     * Signs a MIME entity as {@code signer}: detached SHA-256 unless {@code options} say otherwise
     * ({@code -md sha1}, {@code -nodetach}, ...). Returns the signed message (MIME-Version and
     * Content-Type, no other header).
     */
    public byte[] sign(TestPki.Identity signer, byte[] entity, String... options) {
        Path keys = keys(signer);
        List<String> args = new ArrayList<>(List.of("cms", "-sign", "-in", write("in", entity).toString(),
                "-signer", keys.resolve("cert.pem").toString(), "-inkey", keys.resolve("key.pem").toString()));
        args.addAll(List.of(options));
        return output(args);
    }

    /** Encrypts a MIME entity (or bare text) to {@code recipient} with AES-256-CBC unless {@code options} say otherwise. */
    public byte[] encrypt(TestPki.Identity recipient, byte[] entity, String... options) {
        Path keys = keys(recipient);
        List<String> args = new ArrayList<>(List.of("cms", "-encrypt", "-in", write("in", entity).toString()));
        args.addAll(options.length == 0 ? List.of("-aes256") : List.of(options));
        args.addAll(List.of("-recip", keys.resolve("cert.pem").toString()));
        return output(args);
    }

    /** Writes the identity's cert.pem, key.pem and chain.pem into a directory of its own, once. */
    public Path keys(TestPki.Identity identity) {
        Path keys = dir.resolve("keys-" + identity.email().replaceAll("[^A-Za-z0-9.@-]", "_") + "-"
                + Integer.toHexString(identity.certificate().hashCode()));
        try {
            if (!Files.exists(keys.resolve("key.pem"))) {
                identity.writePem(keys);
            }
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] output(List<String> args) {
        Path out = dir.resolve("out-" + System.nanoTime() + ".eml");
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("-out", out.toString()));
        ok(all.toArray(String[]::new));
        try {
            return Files.readAllBytes(out);
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

    /** A text/plain entity, as a mail client would sign or encrypt it. */
    public static byte[] textEntity(String text) {
        return ("Content-Type: text/plain; charset=us-ascii\r\n\r\n" + text + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The MIME entity of a message: its Content-* header lines (folded lines kept) and its body;
     * every other header (MIME-Version included) stays outside, where a mail client puts it.
     */
    public static byte[] entity(byte[] message) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        // openssl writes its headers with LF and the content as it came: the first empty line of either kind ends them
        int crlf = text.indexOf("\r\n\r\n");
        int lf = text.indexOf("\n\n");
        boolean lfFirst = lf >= 0 && (crlf < 0 || lf < crlf);
        int end = lfFirst ? lf : crlf;
        int bodyStart = end + (lfFirst ? 2 : 4);
        StringBuilder entity = new StringBuilder();
        boolean keep = false;
        for (String line : text.substring(0, end).split("\r?\n")) {
            if (!line.startsWith(" ") && !line.startsWith("\t")) {
                keep = line.regionMatches(true, 0, "Content-", 0, 8);
            }
            if (keep) {
                entity.append(line).append("\r\n");
            }
        }
        entity.append("\r\n").append(text.substring(bodyStart));
        return entity.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The message with these header lines in front (From, To, Subject, Date, ...). */
    public static byte[] withHeaders(byte[] message, String... headers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String header : headers) {
            out.writeBytes((header + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(message);
        return out.toByteArray();
    }
}
