package dev.sealgate.gateway;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Message tracking ({@code sealgate.tracking.*}).
 *
 * @param retention                       tracking details of finished messages older than this are deleted (default 30d)
 * @param trackInvalidSendersAndRecipients record "Unable to relay" refusals in message tracking (default false:
 *                                        on a busy server they would fill the database; they are always counted
 *                                        in the metric {@code sealgate.smtp.relay.refused})
 */
@ConfigurationProperties("sealgate.tracking")
public record TrackingProperties(@DefaultValue("30d") Duration retention,
                                 @DefaultValue("false") boolean trackInvalidSendersAndRecipients) {
}
