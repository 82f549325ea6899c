package dev.sealgate.bench.smime;

import dev.sealgate.smime.EncryptionOptions;
import dev.sealgate.smime.Messages;
import dev.sealgate.smime.RecipientSpec;
import dev.sealgate.smime.SigningOptions;
import dev.sealgate.smime.SmimeEncryptor;
import dev.sealgate.smime.SmimeSigner;
import dev.sealgate.smime.TestPki;
import dev.sealgate.smime.TestPki.Identity;
import dev.sealgate.smime.TestPki.KeyKind;
import jakarta.mail.internet.MimeMessage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Whole-engine throughput on a 64 KB message: sign (detached), encrypt and decrypt with the default
 * AES-256-CBC and with AES-256-GCM, to RSA-3072 (PKCS#1 v1.5) or EC P-256 (ECDH) recipients.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SmimeEngineBenchmark {

    @Param({"RSA_3072", "EC_P256"})
    public KeyKind key;

    private MimeMessage message;
    private SmimeSigner signer;
    private SmimeEncryptor cbc;
    private SmimeEncryptor gcm;
    private List<RecipientSpec> recipients;
    private dev.sealgate.smime.SmimeDecryptor decryptor;
    private byte[] cbcMessage;
    private byte[] gcmMessage;

    @Setup
    public void setUp() {
        Identity id = TestPki.shared().user(key);
        StringBuilder body = new StringBuilder();
        while (body.length() < 64 * 1024) {
            body.append("0123456789 the quick brown fox jumps over the lazy dog 0123456789 abcdefghijklmnopqrstuvwxyz\r\n");
        }
        message = Messages.text(id.email(), body.substring(0, 64 * 1024 - 2));
        signer = new SmimeSigner(id.key(), id.chain(), SigningOptions.defaults());
        cbc = new SmimeEncryptor(EncryptionOptions.defaults());
        gcm = new SmimeEncryptor(EncryptionOptions.defaults().withContentEncryption(dev.sealgate.smime.ContentEncryption.AES256_GCM));
        recipients = List.of(RecipientSpec.of(id.certificate()));
        decryptor = new dev.sealgate.smime.SmimeDecryptor(id.resolver());
        cbcMessage = Messages.bytes(cbc.encrypt(message, recipients));
        gcmMessage = Messages.bytes(gcm.encrypt(message, recipients));
    }

    @Benchmark
    public void sign(Blackhole bh) {
        signer.sign(message, new BlackholeStream(bh));
    }

    @Benchmark
    public void encryptAes256Cbc(Blackhole bh) {
        cbc.encrypt(message, recipients, new BlackholeStream(bh));
    }

    @Benchmark
    public void encryptAes256Gcm(Blackhole bh) {
        gcm.encrypt(message, recipients, new BlackholeStream(bh));
    }

    @Benchmark
    public void decryptAes256Cbc(Blackhole bh) throws Exception {
        decryptor.decrypt(parse(cbcMessage), new BlackholeStream(bh));
    }

    @Benchmark
    public void decryptAes256Gcm(Blackhole bh) throws Exception {
        decryptor.decrypt(parse(gcmMessage), new BlackholeStream(bh));
    }

    private static MimeMessage parse(byte[] wire) throws Exception {
        return new MimeMessage(Messages.SESSION, new jakarta.mail.util.SharedByteArrayInputStream(wire));
    }

    static final class BlackholeStream extends OutputStream {
        private final Blackhole bh;

        BlackholeStream(Blackhole bh) {
            this.bh = bh;
        }

        @Override
        public void write(int b) {
            bh.consume(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bh.consume(b);
            bh.consume(len);
        }
    }
}
