package dev.sealgate.addin;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the Outlook add-in offers and how long its flags stay valid. The identity provider is
 * configured under {@code sealgate.addin.auth} ({@link dev.sealgate.security.AddinAuthProperties}).
 *
 * @param encryptButton        show the encrypt button (default true)
 * @param signButton           show the sign button (default true)
 * @param largeFilesButton     show the large files button (default true)
 * @param encryptByDefault     encrypt is pressed when a message is opened (default false)
 * @param signByDefault        sign is pressed when a message is opened (default false)
 * @param mayDisableEncryption users may turn encryption off when it is on by default (default true)
 * @param withoutCertificate   what the gateway does for an external recipient without a usable
 *                             certificate when encryption is requested: {@code REJECTED} (default) or
 *                             {@code FALLBACK} (deliver through the configured fallback, e.g. the portal)
 * @param flagsLifetime        how long a flags token is honoured after the add-in fetched it (default 24 h)
 * @param flagsKeyEncryptionKey base64 of 32 bytes that encrypt the flags signing keys in the database;
 *                             unset: {@code <data-dir>/keys/flags-kek} is used and created on first start.
 *                             Set it (same value on every node) when several nodes share one database.
 * @param officeJsUrl          where the task pane loads Office.js from (default Microsoft's CDN)
 */
@ConfigurationProperties("sealgate.addin")
public record AddinProperties(@DefaultValue("true") boolean encryptButton,
                              @DefaultValue("true") boolean signButton,
                              @DefaultValue("true") boolean largeFilesButton,
                              @DefaultValue("false") boolean encryptByDefault,
                              @DefaultValue("false") boolean signByDefault,
                              @DefaultValue("true") boolean mayDisableEncryption,
                              @DefaultValue("REJECTED") EncryptionOutcome withoutCertificate,
                              @DefaultValue("24h") Duration flagsLifetime,
                              String flagsKeyEncryptionKey,
                              @DefaultValue("https://appsforoffice.microsoft.com/lib/1/hosted/office.js") java.net.URI officeJsUrl) {

    public AddinProperties {
        if (withoutCertificate == EncryptionOutcome.ENCRYPTED) {
            throw new IllegalArgumentException("sealgate.addin.without-certificate must be REJECTED or FALLBACK");
        }
        if (flagsLifetime.isNegative() || flagsLifetime.isZero() || flagsLifetime.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("sealgate.addin.flags-lifetime must be between 1 s and 7 days, was " + flagsLifetime);
        }
    }

    @Override
    public String toString() {
        return "AddinProperties[flagsLifetime=" + flagsLifetime + ", flagsKeyEncryptionKey="
                + (flagsKeyEncryptionKey == null ? "(file)" : "(set)") + "]";
    }
}
