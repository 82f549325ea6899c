package dev.sealgate.addin;

import dev.sealgate.files.FilesProperties;

/** Settings from {@code sealgate.addin.*} and {@code sealgate.files.*}, the same for every user. */
final class ConfiguredAddinSettings implements AddinSettingsPolicy {

    private final AddinProperties addin;
    private final FilesProperties files;

    ConfiguredAddinSettings(AddinProperties addin, FilesProperties files) {
        this.addin = addin;
        this.files = files;
    }

    @Override
    public AddinSettings settingsFor(String user) {
        return new AddinSettings(user,
                new AddinSettings.Button(addin.encryptButton(), addin.encryptByDefault()),
                new AddinSettings.Button(addin.signButton(), addin.signByDefault()),
                new AddinSettings.Button(addin.largeFilesButton(), false),
                addin.mayDisableEncryption() || !addin.encryptByDefault(),
                files.largeFileThreshold().toBytes(),
                files.maxFileSize().toBytes(),
                (int) files.minExpiry().toDays(),
                (int) files.defaultExpiry().toDays(),
                (int) files.maxExpiry().toDays());
    }
}
