package dev.sealgate.files;

import dev.sealgate.SealgateProperties;
import dev.sealgate.blob.BlobStore;
import dev.sealgate.tracking.EventLog;
import java.io.IOException;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires large files: contents in the blob store under {@code files/} (docs/adr/0100-blob-store.md),
 * upload spool under {@code <data-dir>/files/spool}.
 */
@Configuration(proxyBeanMethods = false)
class FilesConfiguration {

    @Bean
    FileRepository fileRepository(DataSource dataSource) {
        return new FileRepository(dataSource);
    }

    @Bean
    LargeFiles largeFiles(FileRepository repository, BlobStore storage, SealgateProperties sealgate, FilesProperties properties,
                          Clock clock, EventLog eventLog, ObjectProvider<MailSubmission> mailSubmission) throws IOException {
        StoredFilesMigration.run(sealgate.dataDir().resolve("files").resolve("store"), storage);
        UploadSpool spool = new UploadSpool(sealgate.dataDir().resolve("files").resolve("spool"));
        return new LargeFiles(repository, storage, spool, properties, clock, eventLog, mailSubmission);
    }

    @Bean
    PortalGuard portalGuard(FilesProperties properties, Clock clock) {
        return new PortalGuard(properties, clock);
    }

    @Bean
    ExpiredFilesCleanup expiredFilesCleanup(LargeFiles files) {
        return new ExpiredFilesCleanup(files);
    }
}
