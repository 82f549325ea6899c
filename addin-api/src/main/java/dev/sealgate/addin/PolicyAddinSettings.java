package dev.sealgate.addin;

import dev.sealgate.policy.EffectivePolicy;
import dev.sealgate.policy.PolicyResolver;

/**
 * The task pane's buttons from the user's effective crypto policy, over the configured defaults
 * ({@code sealgate.addin.*}): what the policy makes certain is shown as such, so the user is not
 * offered a choice the gateway would overrule.
 * <ul>
 * <li>encryption MANDATORY: encrypt pressed, may not be switched off;</li>
 * <li>encryption NEVER: encrypt hidden (a request would get every recipient rejected);</li>
 * <li>signing ALWAYS: sign pressed (a no-sign request is overruled);</li>
 * <li>signing AUTO (the default): sign pressed, the user may release it (a no-sign request is honoured);</li>
 * <li>signing NEVER: sign hidden;</li>
 * <li>OPPORTUNISTIC, WHEN_REQUESTED, WHEN_KEY_EXISTS: as configured.</li>
 * </ul>
 */
final class PolicyAddinSettings implements AddinSettingsPolicy {

    private final AddinSettingsPolicy configured;
    private final PolicyResolver policies;

    PolicyAddinSettings(AddinSettingsPolicy configured, PolicyResolver policies) {
        this.configured = configured;
        this.policies = policies;
    }

    @Override
    public AddinSettings settingsFor(String user) {
        AddinSettings base = configured.settingsFor(user);
        EffectivePolicy policy = policies.resolve(user);
        AddinSettings.Button encrypt = base.encrypt();
        boolean mayDisableEncryption = base.mayDisableEncryption();
        switch (policy.outboundEncryption()) {
            case MANDATORY -> {
                encrypt = new AddinSettings.Button(encrypt.visible(), true);
                mayDisableEncryption = false;
            }
            case NEVER -> {
                encrypt = new AddinSettings.Button(false, false);
                mayDisableEncryption = true;
            }
            case OPPORTUNISTIC, WHEN_REQUESTED -> {
            }
        }
        AddinSettings.Button sign = switch (policy.outboundSigning()) {
            case ALWAYS, AUTO -> new AddinSettings.Button(base.sign().visible(), true);
            case NEVER -> new AddinSettings.Button(false, false);
            case WHEN_KEY_EXISTS -> base.sign();
        };
        return new AddinSettings(user, encrypt, sign, base.largeFiles(), mayDisableEncryption, base.largeFileThresholdBytes(),
                base.maxFileSizeBytes(), base.minExpiryDays(), base.defaultExpiryDays(), base.maxExpiryDays());
    }
}
