package dev.sealgate.addin;

/** Where the add-in's settings for a user come from; the default reads configuration, a policy bean may replace it. */
public interface AddinSettingsPolicy {

    AddinSettings settingsFor(String user);
}
