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
 * @param eventRetention                  events that last happened longer ago are deleted (default 90d; 0 keeps them)
 * @param eventAggregationWindow          identical events within this time are counted in one entry (default 1h)
 * @param enrollmentLogRetention          finished enrollment requests last updated longer ago are deleted (default 365d;
 *                                        pending ones and those waiting for a retry stay)
 * @param downloadRetention               records of large-file downloads older than this are deleted (default 90d; the
 *                                        links' download counts stay)
 * @param auditRetention                  records of admin changes (who, what, when, from where) older than this are
 *                                        deleted (default 365d; 0 keeps them)
 */
@ConfigurationProperties("sealgate.tracking")
public record TrackingProperties(@DefaultValue("30d") Duration retention,
                                 @DefaultValue("false") boolean trackInvalidSendersAndRecipients,
                                 @DefaultValue("90d") Duration eventRetention,
                                 @DefaultValue("1h") Duration eventAggregationWindow,
                                 @DefaultValue("365d") Duration enrollmentLogRetention,
                                 @DefaultValue("90d") Duration downloadRetention,
                                 @DefaultValue("365d") Duration auditRetention) {
}
