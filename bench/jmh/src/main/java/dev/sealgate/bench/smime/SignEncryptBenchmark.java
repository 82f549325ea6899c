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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The engine's share of the signed+encrypted outbound bench ({@code MODE=smime bench/smtp/run.sh}):
 * one text message of {@code sizeKb} KiB signed (detached, RSA-3072 signer) and then encrypted to
 * one RSA-3072 recipient with the default options, as the outbound crypto step does; no SMTP, no
 * queue, no database. Run it with {@code -t 2} beside the end-to-end bench on the same 2 cores.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SignEncryptBenchmark {

    @Param({"50"})
    public int sizeKb;

    private MimeMessage message;
    private SmimeSigner signer;
    private SmimeEncryptor encryptor;
    private List<RecipientSpec> recipients;

    @Setup
    public void setUp() {
        Identity sender = TestPki.shared().user(KeyKind.RSA_3072);
        Identity recipient = TestPki.shared().user(KeyKind.RSA_3072);
        StringBuilder body = new StringBuilder();
        while (body.length() < sizeKb * 1024) {
            body.append("0123456789 the quick brown fox jumps over the lazy dog 0123456789 abcdefghijklmnopqrstuvwxyz\r\n");
        }
        message = Messages.text(sender.email(), body.substring(0, sizeKb * 1024 - 2));
        signer = new SmimeSigner(sender.key(), sender.chain(), SigningOptions.defaults());
        encryptor = new SmimeEncryptor(EncryptionOptions.defaults());
        recipients = List.of(RecipientSpec.of(recipient.certificate()));
    }

    @Benchmark
    public void signThenEncrypt(Blackhole bh) {
        encryptor.encrypt(signer.sign(message), recipients, new SmimeEngineBenchmark.BlackholeStream(bh));
    }
}
