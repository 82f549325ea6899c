package dev.sealgate.pipeline;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The crypto steps of the mail pipeline (see docs/configuration/crypto-step.md). How long mail
 * waits for an enrolled certificate is {@code sealgate.enrollment.hold-timeout}.
 *
 * @param encryptToSelf     add the sender's own certificate to every encrypted copy, so the sent
 *                          copy stays readable for the sender
 * @param holdCheckInterval how often mail held for the sender's certificate is checked against the hold
 *                          timeout, and mail held for a recipient's certificate is sent once the store has one
 * @param signingTimeTolerance how far an inbound signature's signing time may be from the message's
 *                          Date header before the signature is stamped {@code signing-time-mismatch}
 */
@ConfigurationProperties("sealgate.crypto")
public record CryptoProperties(@DefaultValue("false") boolean encryptToSelf,
                               @DefaultValue("1m") Duration holdCheckInterval,
                               @DefaultValue("1h") Duration signingTimeTolerance) {

    public CryptoProperties {
        if (signingTimeTolerance.isNegative()) {
            throw new IllegalArgumentException("sealgate.crypto.signing-time-tolerance must not be negative: "
                    + signingTimeTolerance + "; use 1h (the default) or another positive duration");
        }
    }
}
