package dev.sealgate.files;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/** Deletes expired files from storage on a schedule ({@code sealgate.files.cleanup-interval}). */
class ExpiredFilesCleanup {

    private static final Logger log = LoggerFactory.getLogger(ExpiredFilesCleanup.class);

    private final LargeFiles files;

    ExpiredFilesCleanup(LargeFiles files) {
        this.files = files;
    }

    @Scheduled(fixedDelayString = "${sealgate.files.cleanup-interval:1h}", initialDelayString = "${sealgate.files.cleanup-interval:1h}")
    void deleteExpired() {
        int deleted = files.deleteExpired();
        if (deleted > 0) {
            log.info("Deleted {} expired large files from storage", deleted);
        }
    }
}
