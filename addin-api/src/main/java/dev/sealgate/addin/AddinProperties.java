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
 * @param flagsLifetime        how long a flags token is honoured after the add-in fetched it (default 24 h)
 * @param flagsKeyEncryptionKey no longer needed: the flags signing keys are encrypted under a key derived
 *                             from the master key (ADR 0070); when set, keys still under it are
 *                             re-encrypted on start and a warning asks to remove it
 * @param officeJsUrl          where the task pane loads Office.js from (default Microsoft's CDN)
 * @param id                   the add-in's id in both manifests, a GUID; keep it once users have the add-in
 * @param version              the add-in's version in both manifests, {@code major.minor.patch} (default 1.0.0);
 *                             raise it when Outlook should pick up a changed manifest
 */
@ConfigurationProperties("sealgate.addin")
public record AddinProperties(@DefaultValue("true") boolean encryptButton,
                              @DefaultValue("true") boolean signButton,
                              @DefaultValue("true") boolean largeFilesButton,
                              @DefaultValue("false") boolean encryptByDefault,
                              @DefaultValue("false") boolean signByDefault,
                              @DefaultValue("true") boolean mayDisableEncryption,
                              @DefaultValue("24h") Duration flagsLifetime,
                              String flagsKeyEncryptionKey,
                              @DefaultValue("https://appsforoffice.microsoft.com/lib/1/hosted/office.js") java.net.URI officeJsUrl,
                              @DefaultValue("7d2f5a3e-6c1b-4f0e-9a57-5e0c1f3b2a41") java.util.UUID id,
                              @DefaultValue("1.0.0") String version) {

    public AddinProperties {
        if (flagsLifetime.isNegative() || flagsLifetime.isZero() || flagsLifetime.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("sealgate.addin.flags-lifetime must be between 1 s and 7 days, was " + flagsLifetime);
        }
        if (!version.matches("\\d{1,5}\\.\\d{1,5}\\.\\d{1,5}")) {
            throw new IllegalArgumentException("sealgate.addin.version must be major.minor.patch, e.g. 1.0.0, was " + version);
        }
    }

    @Override
    public String toString() {
        return "AddinProperties[flagsLifetime=" + flagsLifetime + ", flagsKeyEncryptionKey="
                + (flagsKeyEncryptionKey == null ? "(file)" : "(set)") + "]";
    }
}
