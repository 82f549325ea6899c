package dev.sealgate.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.pipeline.PipelineMessage;
import dev.sealgate.policy.Direction;
import dev.sealgate.queue.Spool;
import dev.sealgate.queue.SpooledContent;
import dev.sealgate.smtp.Envelope;
import dev.sealgate.smtp.EnvelopeRecipient;
import dev.sealgate.storage.DatabaseExtension;
import dev.sealgate.tracking.EventLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The large-files step on hand-written messages: what it changes and what it must leave as it is. */
class LargeFilesStepTest {

    @RegisterExtension
    static final DatabaseExtension db = DatabaseExtension.h2();

    @TempDir
    Path directory;

    private static final String BIG = "A".repeat(4000);

    private int messages;

    private LargeFilesStep step() throws IOException {
        FilesProperties properties = new Binder(new MapConfigurationPropertySource(Map.of("sealgate.files.large-file-threshold", "1KB")))
                .bindOrCreate("sealgate.files", FilesProperties.class);
        Clock clock = Clock.systemUTC();
        EventLog events = new EventLog(db.dataSource(), clock);
        LargeFiles files = new LargeFiles(new FileRepository(db.dataSource()), new dev.sealgate.blob.EncryptedBlobStore(
                new dev.sealgate.blob.FileBlobStore(directory.resolve("blobs")), dev.sealgate.certs.MasterKey.random()),
                new UploadSpool(directory.resolve("upload")), properties, clock, events,
                new StaticListableBeanFactory().getBeanProvider(MailSubmission.class));
        return new LargeFilesStep(files, properties, () -> "https://files.corp.example", events);
    }

    private PipelineMessage message(String sender, Direction direction, String mime) throws IOException {
        Spool spool = dev.sealgate.queue.TestSpools.encrypted(directory);
        String id = "m" + (++messages);
        SpooledContent content = spool.write(id + ".eml", out -> out.write(mime.replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII)));
        Envelope envelope = new Envelope(sender, null, null, List.of(new EnvelopeRecipient("bob@partner.example", null, null, "test")),
                "127.0.0.1", "client.test", null, null, direction);
        return new PipelineMessage(id, envelope, Map.of(), content, spool);
    }

    private static String text(PipelineMessage message) throws IOException {
        return dev.sealgate.queue.TestSpools.text(message.deliveries().get(0).content());
    }

    private static String withAttachmentOnly() {
        return """
                From: alice@corp.example
                To: bob@partner.example
                Subject: only a file
                Message-ID: <only-a-file@corp.example>
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="b1"

                --b1
                Content-Type: application/octet-stream; name="data.bin"
                Content-Disposition: attachment; filename="data.bin"

                %s
                --b1--
                """.formatted(BIG);
    }

    @Test
    void shouldAddATextBodyWithTheLinkWhenTheMessageHasNoneAndKeepTheMessageId() throws Exception {
        PipelineMessage message = message("alice@corp.example", Direction.OUTBOUND, withAttachmentOnly());

        step().process(message);

        String result = text(message);
        assertThat(result).contains("Message-ID: <only-a-file@corp.example>")
                .contains("Attachments sent as download links:")
                .contains("data.bin (" + BIG.length() + " bytes): https://files.corp.example/portal/d/")
                .doesNotContain(BIG);
        assertThat(message.tracking().operations()).anySatisfy(o -> assertThat(o.operation()).isEqualTo("large file data.bin"));
    }

    @Test
    void shouldLeaveSmallAttachmentsInboundMailAndNullSenderNoticesAsTheyAre() throws Exception {
        String small = withAttachmentOnly().replace(BIG, "small");
        for (PipelineMessage message : List.of(message("alice@corp.example", Direction.OUTBOUND, small),
                message("erin@partner.example", Direction.INBOUND, withAttachmentOnly()),
                message("", Direction.OUTBOUND, withAttachmentOnly()))) {
            String before = text(message);

            step().process(message);

            assertThat(text(message)).isEqualTo(before);
        }
    }

    @Test
    void shouldLeaveMailTheClientSignedAsItIs() throws Exception {
        PipelineMessage message = message("alice@corp.example", Direction.OUTBOUND, """
                From: alice@corp.example
                To: bob@partner.example
                Subject: signed
                MIME-Version: 1.0
                Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="s1"

                --s1
                %s
                --s1
                Content-Type: application/pkcs7-signature; name="smime.p7s"
                Content-Disposition: attachment; filename="smime.p7s"

                c2lnbmF0dXJl
                --s1--
                """.formatted(withAttachmentOnly().substring(withAttachmentOnly().indexOf("MIME-Version"))));
        String before = text(message);

        step().process(message);

        assertThat(text(message)).isEqualTo(before);
        assertThat(message.tracking().operations()).anySatisfy(o -> assertThat(o.result()).contains("signed by the mail client"));
    }
}
