package dev.sealgate.files;

import dev.sealgate.web.Blocking;
import dev.sealgate.cluster.MemoryCounters;
import dev.sealgate.cluster.SharedCounters;
import dev.sealgate.blob.BlobInfo;
import dev.sealgate.blob.BlobIntegrityException;
import dev.sealgate.blob.BlobStore;
import dev.sealgate.tracking.EventLog;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.io.buffer.DataBuffer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The large-files feature: uploads become stored files with links; links are checked, passwords
 * verified, downloads counted and recorded; reply uploads reach their owner by mail. Methods that
 * return plain values block (JDBC, Argon2, storage): call them through {@code Blocking}.
 */
public class LargeFiles {

    /** What a sender chooses for a new link. */
    public record LinkOptions(Duration expiry, String password, Integer maxDownloads) {

        public LinkOptions {
            if (maxDownloads != null && maxDownloads < 1) {
                throw new IllegalArgumentException("maxDownloads must be at least 1, was " + maxDownloads);
            }
            if (password != null && (password.length() < 8 || password.length() > 256)) {
                throw new IllegalArgumentException("a link password must have 8 to 256 characters");
            }
        }
    }

    /** A new link; the token appears only here and in the link given to the sender. */
    public record CreatedLink(String linkId, String fileId, String token, String name, long size, String sha256, Instant expiresAt) {
    }

    public record CreatedReplyLink(String replyLinkId, String token, Instant expiresAt) {
    }

    /** Outcome of a download attempt. */
    public sealed interface Access {
        /** unknown, expired, revoked or exhausted: one answer for all, so a token's existence is not revealed */
        record Unavailable() implements Access {
        }

        record PasswordRequired(FileRepository.LinkRecord link) implements Access {
        }

        record WrongPassword(FileRepository.LinkRecord link) implements Access {
        }

        record TooManyAttempts() implements Access {
        }

        record Granted(FileRepository.LinkRecord link) implements Access {
        }
    }

    private final FileRepository repository;
    /** The blob-store folder of large files: {@code files/<storage key>}. */
    public static final String PREFIX = "files/";

    private final BlobStore storage;
    private final UploadSpool spool;
    private final FilesProperties properties;
    private final Clock clock;
    private final EventLog eventLog;
    private final ObjectProvider<MailSubmission> mailSubmission;
    private final RateLimiter wrongPasswordsPerLink;
    private final RateLimiter wrongPasswordsPerClient;

    /** With wrong passwords counted in this node's memory (tests, tools). */
    public LargeFiles(FileRepository repository, BlobStore storage, UploadSpool spool, FilesProperties properties,
                      Clock clock, EventLog eventLog, ObjectProvider<MailSubmission> mailSubmission) {
        this(repository, storage, spool, properties, clock, eventLog, mailSubmission, new MemoryCounters());
    }

    /** @param counters where wrong passwords are counted: the database, so that the limits hold for the cluster */
    public LargeFiles(FileRepository repository, BlobStore storage, UploadSpool spool, FilesProperties properties,
                      Clock clock, EventLog eventLog, ObjectProvider<MailSubmission> mailSubmission, SharedCounters counters) {
        this.repository = repository;
        this.storage = storage;
        this.spool = spool;
        this.properties = properties;
        this.clock = clock;
        this.eventLog = eventLog;
        this.mailSubmission = mailSubmission;
        this.wrongPasswordsPerLink = new RateLimiter("portal-wrong-passwords-per-link", properties.wrongPasswordsPerLink(),
                properties.wrongPasswordWindow(), clock, counters);
        this.wrongPasswordsPerClient = new RateLimiter("portal-wrong-passwords-per-client", properties.wrongPasswordsPerClient(),
                properties.wrongPasswordWindow(), clock, counters);
    }

    /** Streams the body to storage and creates a download link for it. */
    public Mono<CreatedLink> upload(Flux<DataBuffer> body, String rawName, String owner, LinkOptions options) {
        String name = FileNames.sanitise(rawName);
        return spool.write(body, properties.maxFileSize().toBytes())
                .flatMap(spooled -> Blocking.call(() -> store(spooled, name, "application/octet-stream", owner, options)));
    }

    /**
     * Blocking: streams {@code content} (e.g. a mail attachment) to storage and creates a download
     * link for it, as an upload through the API would.
     *
     * @throws FileTooLargeException content above {@code sealgate.files.max-file-size}
     */
    public CreatedLink share(InputStream content, String rawName, String contentType, String owner, LinkOptions options)
            throws IOException {
        return store(spool.copy(content, properties.maxFileSize().toBytes()), FileNames.sanitise(rawName), contentType, owner, options);
    }

    private CreatedLink store(UploadSpool.Spooled spooled, String name, String contentType, String owner, LinkOptions options) {
        String fileId = UUID.randomUUID().toString();
        String key = LinkTokens.generate();
        try (InputStream in = Files.newInputStream(spooled.file())) {
            BlobInfo stored = storage.put(PREFIX + key, in);
            if (stored.size() != spooled.size() || !stored.sha256().equals(spooled.sha256())) {
                storage.delete(PREFIX + key);
                throw new IOException("the upload spool file changed while it was stored (" + stored.size() + " bytes stored, "
                        + spooled.size() + " received)");
            }
        } catch (IOException e) {
            eventLog.error("files", "Could not store a file of " + owner + " in the blob store", e.getMessage());
            throw new UncheckedIOException("could not store file " + name + " for " + owner, e);
        } finally {
            deleteSpoolFile(spooled.file());
        }
        Instant now = clock.instant();
        Instant expires = now.plus(options.expiry());
        repository.insertFile(new FileRepository.FileRecord(fileId, key, name, contentType,
                spooled.size(), spooled.sha256(), owner, now, expires));
        String token = LinkTokens.generate();
        String linkId = UUID.randomUUID().toString();
        repository.insertLink(linkId, fileId, LinkTokens.hash(token),
                options.password() == null ? null : PasswordHasher.hash(options.password()),
                options.maxDownloads(), now, expires);
        return new CreatedLink(linkId, fileId, token, name, spooled.size(), spooled.sha256(), expires);
    }

    private static void deleteSpoolFile(java.nio.file.Path file) {
        try {
            java.nio.file.Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete spool file " + file, e);
        }
    }

    /** The link behind a token if it can be used now; for the portal's landing page. */
    public Optional<FileRepository.LinkRecord> usableLink(String token) {
        if (!LinkTokens.wellFormed(token)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return repository.findLink(LinkTokens.hash(token)).filter(link -> link.usableAt(now));
    }

    /**
     * Checks the password (if the link has one) and counts the download. Wrong passwords count
     * against the link and the client address; past either limit every attempt is refused for the window.
     */
    public Access authorise(String token, String password, String clientAddress) {
        Optional<FileRepository.LinkRecord> found = usableLink(token);
        if (found.isEmpty()) {
            return new Access.Unavailable();
        }
        FileRepository.LinkRecord link = found.get();
        if (link.passwordHash() != null) {
            if (wrongPasswordsPerLink.exhausted(link.id()) || wrongPasswordsPerClient.exhausted(clientAddress)) {
                return new Access.TooManyAttempts();
            }
            if (password == null || password.isEmpty()) {
                return new Access.PasswordRequired(link);
            }
            if (!PasswordHasher.verify(password, link.passwordHash())) {
                wrongPasswordsPerLink.tryAcquire(link.id());
                wrongPasswordsPerClient.tryAcquire(clientAddress);
                if (wrongPasswordsPerLink.exhausted(link.id())) {
                    eventLog.warning("files", "Download link locked for " + properties.wrongPasswordWindow()
                                    + " after repeated wrong passwords", "link " + link.id() + ", file " + link.file().name()
                                    + ", last attempt from " + clientAddress);
                }
                return new Access.WrongPassword(link);
            }
        }
        if (!repository.countDownload(link.id(), clock.instant(), clientAddress)) {
            return new Access.Unavailable();
        }
        return new Access.Granted(link);
    }

    /**
     * The file's bytes, checked against the size and SHA-256 recorded at upload: a damaged file
     * makes the stream fail (and records an event) before its last byte, so a download is cut off
     * rather than completed with wrong bytes.
     */
    public InputStream open(FileRepository.FileRecord file) throws IOException {
        InputStream checked = storage.get(PREFIX + file.storageKey(), new BlobInfo(file.size(), file.sha256()));
        return new FilterInputStream(checked) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (BlobIntegrityException e) {
                    throw damaged(file, e);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return super.read(b, off, len);
                } catch (BlobIntegrityException e) {
                    throw damaged(file, e);
                }
            }
        };
    }

    private BlobIntegrityException damaged(FileRepository.FileRecord file, BlobIntegrityException e) {
        eventLog.error("files", "The stored file " + file.name() + " of " + file.owner() + " is damaged; its download was"
                + " broken off. Restore the blob from a backup or revoke the link", e.getMessage());
        return e;
    }

    /** The owner's newest 200 download links. */
    public List<FileRepository.OwnedLink> links(String owner) {
        return repository.ownedLinks(owner, 200);
    }

    public boolean revoke(String linkId, String owner) {
        return repository.revokeLink(linkId, owner, clock.instant());
    }

    public Optional<List<FileRepository.Download>> downloads(String linkId, String owner) {
        return repository.linkOwner(linkId).filter(owner::equals).map(o -> repository.downloads(linkId));
    }

    public CreatedReplyLink createReplyLink(String owner, Duration expiry) {
        String token = LinkTokens.generate();
        String id = UUID.randomUUID().toString();
        Instant now = clock.instant();
        repository.insertReplyLink(id, LinkTokens.hash(token), owner, now, now.plus(expiry));
        return new CreatedReplyLink(id, token, now.plus(expiry));
    }

    public boolean revokeReplyLink(String id, String owner) {
        return repository.revokeReplyLink(id, owner, clock.instant());
    }

    public Optional<FileRepository.ReplyLinkRecord> usableReplyLink(String token) {
        if (!LinkTokens.wellFormed(token)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return repository.findReplyLink(LinkTokens.hash(token)).filter(link -> link.usableAt(now));
    }

    /**
     * Stores a file an external recipient sent through a reply link and tells the link's owner by mail
     * where to download it. Empty when the reply link cannot be used.
     */
    public Mono<CreatedLink> replyUpload(String replyToken, Flux<DataBuffer> body, String rawName, String clientAddress,
                                         String portalBase) {
        // database work through Blocking: never interrupted by a client that goes away (H2 would close)
        return Blocking.call(() -> usableReplyLink(replyToken))
                .flatMap(found -> found.map(Mono::just).orElseGet(Mono::empty))
                .filterWhen(reply -> Blocking.call(() -> countReplyUpload(reply, clientAddress)))
                .flatMap(reply -> upload(body, rawName, reply.owner(), new LinkOptions(properties.defaultExpiry(), null, null))
                        .flatMap(created -> Blocking.call(() -> {
                            notifyOwner(reply.owner(), created, clientAddress, portalBase);
                            return created;
                        })));
    }

    private boolean countReplyUpload(FileRepository.ReplyLinkRecord reply, String clientAddress) {
        if (repository.countReplyUpload(reply.id(), properties.uploadsPerReplyLink())) {
            return true;
        }
        eventLog.warning("files", "Refused an upload through a used-up reply link of " + reply.owner(),
                "reply link " + reply.id() + " already took " + properties.uploadsPerReplyLink()
                        + " files (sealgate.files.uploads-per-reply-link); upload from " + clientAddress);
        return false;
    }

    private void notifyOwner(String owner, CreatedLink created, String clientAddress, String portalBase) {
        String link = portalBase + "/portal/d/" + created.token();
        MailSubmission submission = mailSubmission.getIfAvailable();
        if (submission == null) {
            eventLog.warning("files", "A reply upload for " + owner + " arrived but nobody was notified: no MailSubmission is wired",
                    "file " + created.name() + " (" + created.size() + " bytes), link id " + created.linkId() + ", from " + clientAddress);
            return;
        }
        boolean queued = submission.submit(new MailSubmission.OutgoingMail(properties.notificationFrom(), owner,
                "Files for you: " + created.name(),
                "Someone replied to your message with a file through your reply link.\n\n"
                        + "File: " + created.name() + " (" + created.size() + " bytes)\n"
                        + "SHA-256: " + created.sha256() + "\n"
                        + "Download until " + created.expiresAt() + ":\n" + link + "\n"));
        if (!queued) {
            eventLog.warning("files", "A reply upload for " + owner + " was stored but the owner could not be notified;"
                    + " tell them the link id " + created.linkId() + " (see the previous event for why)",
                    "file " + created.name() + " (" + created.size() + " bytes), from " + clientAddress);
            return;
        }
        eventLog.info("files", "Reply upload for " + owner + " stored and the owner notified",
                "file " + created.name() + " (" + created.size() + " bytes), from " + clientAddress);
    }

    /** Deletes expired files from storage; returns how many went. */
    public int deleteExpired() {
        Instant now = clock.instant();
        int deleted = 0;
        List<FileRepository.FileRecord> expired;
        do {
            expired = repository.expiredFiles(now, 100);
            for (FileRepository.FileRecord file : expired) {
                try {
                    storage.delete(PREFIX + file.storageKey());
                    repository.markDeleted(file.id(), now);
                    deleted++;
                } catch (IOException e) {
                    eventLog.error("files", "Could not delete expired file " + file.name() + " of " + file.owner()
                            + " from storage; it is retried on the next cleanup", e.getMessage());
                    return deleted;
                }
            }
        } while (expired.size() == 100);
        return deleted;
    }
}
