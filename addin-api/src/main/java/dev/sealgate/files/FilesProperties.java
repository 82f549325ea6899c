package dev.sealgate.files;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Large files and their links.
 *
 * @param maxFileSize            largest file accepted, per upload (default 2GB)
 * @param largeFileThreshold     attachments at or above this size are offered as links by the add-in (default 10MB)
 * @param defaultExpiry          how long a link lives when the sender does not choose (default 14 days)
 * @param minExpiry              shortest expiry a sender may choose (default 1 day)
 * @param maxExpiry              longest expiry a sender may choose (default 90 days)
 * @param publicBaseUrl          the portal's address as recipients reach it, e.g. {@code https://files.example.org};
 *                               unset: taken from the request (honouring forwarded headers if enabled)
 * @param notificationFrom       sender address of the mail that tells a user a reply upload arrived
 * @param linkAccessesPerMinute  portal requests per client address and minute before 429 (default 60)
 * @param wrongPasswordsPerLink  wrong passwords per link within {@code wrongPasswordWindow} before 429 (default 5)
 * @param wrongPasswordsPerClient wrong passwords per client address within {@code wrongPasswordWindow} before 429 (default 10)
 * @param wrongPasswordWindow    the window both wrong-password limits count in (default 15 min)
 * @param cleanupInterval        how often expired files are deleted from storage (default 1 h)
 * @param uploadsPerReplyLink    files one reply link accepts in its lifetime (default 20)
 */
@ConfigurationProperties("sealgate.files")
public record FilesProperties(@DefaultValue("2GB") DataSize maxFileSize,
                              @DefaultValue("10MB") DataSize largeFileThreshold,
                              @DefaultValue("14d") Duration defaultExpiry,
                              @DefaultValue("1d") Duration minExpiry,
                              @DefaultValue("90d") Duration maxExpiry,
                              URI publicBaseUrl,
                              @DefaultValue("sealgate@localhost") String notificationFrom,
                              @DefaultValue("60") int linkAccessesPerMinute,
                              @DefaultValue("5") int wrongPasswordsPerLink,
                              @DefaultValue("10") int wrongPasswordsPerClient,
                              @DefaultValue("15m") Duration wrongPasswordWindow,
                              @DefaultValue("1h") Duration cleanupInterval,
                              @DefaultValue("20") int uploadsPerReplyLink) {

    public FilesProperties {
        if (minExpiry.compareTo(defaultExpiry) > 0 || defaultExpiry.compareTo(maxExpiry) > 0) {
            throw new IllegalArgumentException("sealgate.files expiries must satisfy min-expiry <= default-expiry <= max-expiry, were "
                    + minExpiry + ", " + defaultExpiry + ", " + maxExpiry);
        }
        if (maxFileSize.toBytes() <= 0) {
            throw new IllegalArgumentException("sealgate.files.max-file-size must be positive, was " + maxFileSize);
        }
    }

    /** The expiry for a link, from the sender's choice in days (or the default), refused outside the range. */
    public Duration expiry(Integer days) {
        if (days == null) {
            return defaultExpiry;
        }
        Duration chosen = Duration.ofDays(days);
        if (chosen.compareTo(minExpiry) < 0 || chosen.compareTo(maxExpiry) > 0) {
            throw new IllegalArgumentException("expiresInDays must be between " + minExpiry.toDays() + " and "
                    + maxExpiry.toDays() + " (sealgate.files.min-expiry / max-expiry), was " + days);
        }
        return chosen;
    }
}
