package dev.sealgate.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.certprovider.testkit.MutableClock;
import dev.sealgate.tracking.EventLog;
import dev.sealgate.tracking.EventQuery;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.publisher.Flux;

/** Links, passwords, limits, revocation, reply links and expiry over real storage; run on H2 and on PostgreSQL. */
public interface LargeFilesContract {

    DataSource dataSource();

    Path directory();

    /** The blob store the files go to: encrypted files under the test's directory. */
    default dev.sealgate.blob.BlobStore blobs() {
        return new dev.sealgate.blob.EncryptedBlobStore(new dev.sealgate.blob.FileBlobStore(directory().resolve("blobs")),
                MASTER_KEY);
    }

    dev.sealgate.certs.MasterKey MASTER_KEY = dev.sealgate.certs.MasterKey.random();

    default FilesProperties properties() {
        return new Binder(new MapConfigurationPropertySource(java.util.Map.of("sealgate.files.wrong-passwords-per-link", "3",
                "sealgate.files.uploads-per-reply-link", "2")))
                .bindOrCreate("sealgate.files", FilesProperties.class);
    }

    private LargeFiles largeFiles(MutableClock clock, RecordingMailSubmission mail) throws Exception {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        if (mail != null) {
            beans.addBean("mail", mail);
        }
        return new LargeFiles(new FileRepository(dataSource()), blobs(),
                new UploadSpool(directory().resolve("spool")), properties(), clock, new EventLog(dataSource(), clock),
                beans.getBeanProvider(MailSubmission.class));
    }

    private static Flux<DataBuffer> body(String text) {
        return Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    default void shouldServeAFileThroughItsLinkAndRecordEachDownload() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-07-01T10:00:00Z"));
        LargeFiles files = largeFiles(clock, null);

        LargeFiles.CreatedLink link = files.upload(body("quarterly numbers"), "../numbers.xlsx", "alice@example.org",
                new LargeFiles.LinkOptions(Duration.ofDays(14), null, null)).block();

        assertThat(link.name()).isEqualTo("numbers.xlsx");
        assertThat(link.token()).hasSize(43);
        assertThat(files.authorise(link.token(), null, "192.0.2.1")).isInstanceOf(LargeFiles.Access.Granted.class);
        assertThat(files.authorise(link.token(), null, "192.0.2.2")).isInstanceOf(LargeFiles.Access.Granted.class);
        assertThat(files.downloads(link.linkId(), "alice@example.org")).hasValueSatisfying(downloads ->
                assertThat(downloads).extracting(FileRepository.Download::clientAddress).containsExactly("192.0.2.1", "192.0.2.2"));
        assertThat(files.downloads(link.linkId(), "mallory@example.org")).isEmpty();
    }

    @Test
    default void shouldStoreOnlyTheHashOfTheToken() throws Exception {
        LargeFiles files = largeFiles(new MutableClock(Instant.parse("2026-07-01T10:00:00Z")), null);
        LargeFiles.CreatedLink link = files.upload(body("x"), "x.txt", "alice@example.org",
                new LargeFiles.LinkOptions(Duration.ofDays(1), null, null)).block();

        Integer withToken = org.springframework.jdbc.core.simple.JdbcClient.create(dataSource())
                .sql("SELECT COUNT(*) FROM file_link WHERE token_hash = ? OR token_hash = ?")
                .params(link.token(), LinkTokens.hash(link.token())).query(Integer.class).single();
        String stored = org.springframework.jdbc.core.simple.JdbcClient.create(dataSource())
                .sql("SELECT token_hash FROM file_link WHERE id = ?").param(link.linkId()).query(String.class).single();
        assertThat(withToken).isEqualTo(1);
        assertThat(stored).isEqualTo(LinkTokens.hash(link.token())).isNotEqualTo(link.token());
    }

    @Test
    default void shouldAskForThePasswordAndLockTheLinkAfterRepeatedWrongOnes() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-07-02T10:00:00Z"));
        LargeFiles files = largeFiles(clock, null);
        LargeFiles.CreatedLink link = files.upload(body("secret plans"), "plans.pdf", "alice@example.org",
                new LargeFiles.LinkOptions(Duration.ofDays(14), "open sesame 42", null)).block();

        assertThat(files.authorise(link.token(), null, "192.0.2.10")).isInstanceOf(LargeFiles.Access.PasswordRequired.class);
        assertThat(files.authorise(link.token(), "wrong-1", "192.0.2.10")).isInstanceOf(LargeFiles.Access.WrongPassword.class);
        assertThat(files.authorise(link.token(), "wrong-2", "192.0.2.11")).isInstanceOf(LargeFiles.Access.WrongPassword.class);
        assertThat(files.authorise(link.token(), "wrong-3", "192.0.2.12")).isInstanceOf(LargeFiles.Access.WrongPassword.class);
        assertThat(files.authorise(link.token(), "open sesame 42", "192.0.2.13")).isInstanceOf(LargeFiles.Access.TooManyAttempts.class);

        clock.advance(Duration.ofMinutes(16));
        assertThat(files.authorise(link.token(), "open sesame 42", "192.0.2.13")).isInstanceOf(LargeFiles.Access.Granted.class);
    }

    @Test
    default void shouldStopAClientAddressThatGuessesPasswordsAcrossManyLinks() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-07-02T12:00:00Z"));
        LargeFiles files = largeFiles(clock, null);
        java.util.List<LargeFiles.CreatedLink> links = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            links.add(files.upload(body("file " + i), "f" + i + ".txt", "alice@example.org",
                    new LargeFiles.LinkOptions(Duration.ofDays(1), "password-" + i + "-ok", null)).block());
        }

        for (int i = 0; i < 10; i++) {
            assertThat(files.authorise(links.get(i % 5).token(), "guess-" + i, "203.0.113.66"))
                    .isInstanceOf(LargeFiles.Access.WrongPassword.class);
        }

        assertThat(files.authorise(links.get(0).token(), "password-0-ok", "203.0.113.66"))
                .isInstanceOf(LargeFiles.Access.TooManyAttempts.class);
        assertThat(files.authorise(links.get(0).token(), "password-0-ok", "203.0.113.67"))
                .isInstanceOf(LargeFiles.Access.Granted.class);
    }

    @Test
    default void shouldEndALinkAtItsDownloadLimitOnRevocationAndAtExpiry() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-07-03T10:00:00Z"));
        LargeFiles files = largeFiles(clock, null);
        LargeFiles.LinkOptions once = new LargeFiles.LinkOptions(Duration.ofDays(2), null, 1);
        LargeFiles.CreatedLink limited = files.upload(body("a"), "a.txt", "alice@example.org", once).block();
        LargeFiles.CreatedLink revoked = files.upload(body("b"), "b.txt", "alice@example.org", once).block();
        LargeFiles.CreatedLink expiring = files.upload(body("c"), "c.txt", "alice@example.org", once).block();

        assertThat(files.authorise(limited.token(), null, "192.0.2.1")).isInstanceOf(LargeFiles.Access.Granted.class);
        assertThat(files.authorise(limited.token(), null, "192.0.2.1")).isInstanceOf(LargeFiles.Access.Unavailable.class);
        assertThat(files.revoke(revoked.linkId(), "mallory@example.org")).isFalse();
        assertThat(files.revoke(revoked.linkId(), "alice@example.org")).isTrue();
        assertThat(files.authorise(revoked.token(), null, "192.0.2.1")).isInstanceOf(LargeFiles.Access.Unavailable.class);
        clock.advance(Duration.ofDays(2));
        assertThat(files.authorise(expiring.token(), null, "192.0.2.1")).isInstanceOf(LargeFiles.Access.Unavailable.class);
        assertThat(files.usableLink("A".repeat(43))).isEmpty();
        assertThat(files.usableLink("../../x")).isEmpty();
    }

    @Test
    default void shouldDeleteExpiredFilesFromStorage() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2030-01-01T10:00:00Z"));
        LargeFiles files = largeFiles(clock, null);
        LargeFiles.CreatedLink shortLived = files.upload(body("old"), "old.txt", "alice@example.org",
                new LargeFiles.LinkOptions(Duration.ofDays(1), null, null)).block();
        LargeFiles.CreatedLink longLived = files.upload(body("new"), "new.txt", "alice@example.org",
                new LargeFiles.LinkOptions(Duration.ofDays(30), null, null)).block();
        String shortKey = storageKey(shortLived.fileId());

        clock.advance(Duration.ofDays(2));

        assertThat(files.deleteExpired()).isGreaterThanOrEqualTo(1);
        assertThat(blobs().exists(LargeFiles.PREFIX + shortKey)).isFalse();
        assertThat(blobs().exists(LargeFiles.PREFIX + storageKey(longLived.fileId()))).isTrue();
        assertThat(files.authorise(longLived.token(), null, "192.0.2.1")).isInstanceOf(LargeFiles.Access.Granted.class);
    }

    @Test
    default void shouldTurnAReplyUploadIntoALinkForTheOwnerAndTellHimByMail() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-07-05T10:00:00Z"));
        RecordingMailSubmission mail = new RecordingMailSubmission();
        LargeFiles files = largeFiles(clock, mail);
        LargeFiles.CreatedReplyLink reply = files.createReplyLink("alice@example.org", Duration.ofDays(7));

        LargeFiles.CreatedLink created = files.replyUpload(reply.token(), body("signed contract"), "contract.pdf", "198.51.100.7",
                "https://files.example.org").block();

        assertThat(created.name()).isEqualTo("contract.pdf");
        assertThat(mail.submitted()).singleElement().satisfies(m -> {
            assertThat(m.to()).isEqualTo("alice@example.org");
            assertThat(m.subject()).contains("contract.pdf");
            assertThat(m.textBody()).contains("https://files.example.org/portal/d/" + created.token());
        });
        assertThat(files.authorise(created.token(), null, "192.0.2.1")).isInstanceOf(LargeFiles.Access.Granted.class);
        assertThat(files.revokeReplyLink(reply.replyLinkId(), "alice@example.org")).isTrue();
        assertThat(files.replyUpload(reply.token(), body("more"), "more.pdf", "198.51.100.7", "https://files.example.org").blockOptional())
                .isEmpty();
    }

    @Test
    default void shouldRefuseUploadsThroughAReplyLinkPastItsLimit() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-07-05T12:00:00Z"));
        LargeFiles files = largeFiles(clock, new RecordingMailSubmission());
        LargeFiles.CreatedReplyLink reply = files.createReplyLink("erin@example.org", Duration.ofDays(7));

        assertThat(files.replyUpload(reply.token(), body("1"), "1.txt", "198.51.100.9", "https://f").blockOptional()).isPresent();
        assertThat(files.replyUpload(reply.token(), body("2"), "2.txt", "198.51.100.9", "https://f").blockOptional()).isPresent();
        assertThat(files.replyUpload(reply.token(), body("3"), "3.txt", "198.51.100.9", "https://f").blockOptional()).isEmpty();
        assertThat(new EventLog(dataSource(), clock).find(new EventQuery(null, null, null, "files", 50)))
                .anySatisfy(e -> assertThat(e.message()).contains("used-up reply link of erin@example.org"));
    }

    @Test
    default void shouldRecordAnEventWhenNoMailSubmissionIsWired() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-07-06T10:00:00Z"));
        LargeFiles files = largeFiles(clock, null);
        LargeFiles.CreatedReplyLink reply = files.createReplyLink("dave@example.org", Duration.ofDays(7));

        Optional<LargeFiles.CreatedLink> created = files.replyUpload(reply.token(), body("x"), "x.pdf", "198.51.100.8",
                "https://files.example.org").blockOptional();

        assertThat(created).isPresent();
        assertThat(new EventLog(dataSource(), clock).find(new EventQuery(null, null, null, "files", 50)))
                .anySatisfy(e -> assertThat(e.message()).contains("dave@example.org").contains("nobody was notified"));
    }

    private String storageKey(String fileId) {
        return org.springframework.jdbc.core.simple.JdbcClient.create(dataSource())
                .sql("SELECT storage_key FROM stored_file WHERE id = ?").param(fileId).query(String.class).single();
    }
}
