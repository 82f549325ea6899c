package dev.sealgate.pipeline;

import dev.sealgate.certs.CertificateStore;
import dev.sealgate.certs.KeyPurpose;
import dev.sealgate.certs.StoredCertificate;
import dev.sealgate.enrollment.CertificateIssuedListener;
import dev.sealgate.enrollment.EnrollmentProperties;
import dev.sealgate.enrollment.EnrollmentService;
import dev.sealgate.policy.PolicyResolver;
import dev.sealgate.policy.RecipientPlanner;
import dev.sealgate.queue.DeliveryService;
import dev.sealgate.queue.Notices;
import dev.sealgate.queue.QueueRepository;
import dev.sealgate.queue.Spool;
import dev.sealgate.revocation.RevocationJudge;
import dev.sealgate.tracking.EventLog;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Wires the crypto steps into the mail pipeline: inbound (decrypt, verify, stamp, harvest) and
 * outbound (flags, enrollment, sign, split, encrypt), at {@link StepOrder#CRYPTO}: after the add-in
 * flags step and the large-files step, so links are signed and encrypted with the text; and the
 * release of mail held for certificates.
 */
@Configuration(proxyBeanMethods = false)
class CryptoStepConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CryptoStepConfiguration.class);

    @Bean
    @Order(StepOrder.CRYPTO)
    InboundCryptoStep inboundCryptoStep(CertificateStore store, PolicyResolver policies, EventLog events,
                                        RevocationJudge revocation, CryptoProperties properties) {
        return new InboundCryptoStep(store, policies, events, revocation, properties.signingTimeTolerance());
    }

    /** Same place as the inbound step: each acts on one direction only. */
    @Bean
    @Order(StepOrder.CRYPTO)
    OutboundCryptoStep outboundCryptoStep(CertificateStore store, PolicyResolver policies, RecipientPlanner planner,
                                          EnrollmentService enrollment, EventLog events, CryptoProperties properties) {
        return new OutboundCryptoStep(store, policies, planner, enrollment, events, properties.encryptToSelf());
    }

    @Bean
    CertificateHolds certificateHolds(QueueRepository queue, Spool spool, OutboundCryptoStep step, Notices notices, EventLog events,
                                      Clock clock, EnrollmentProperties enrollment, DeliveryService delivery) {
        return new CertificateHolds(queue, spool, step, notices, events, clock, enrollment.holdTimeout(), delivery::wakeUp);
    }

    @Bean
    HeldMailReleases heldMailReleases(CertificateHolds holds, EnrollmentService enrollmentService) {
        HeldMailReleases releases = new HeldMailReleases(holds);
        enrollmentService.addListener(releases);
        return releases;
    }

    /**
     * Hands each issued certificate to one thread that processes the mail held for it: listeners
     * must not block the enrollment thread, and signing and encrypting held mail may take a while.
     */
    static final class HeldMailReleases implements CertificateIssuedListener, AutoCloseable {

        private final CertificateHolds holds;
        private final ExecutorService thread = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "held-mail-release");
            t.setDaemon(true);
            return t;
        });

        HeldMailReleases(CertificateHolds holds) {
            this.holds = holds;
        }

        @Override
        public void certificateIssued(String address, StoredCertificate certificate) {
            thread.execute(() -> holds.releaseFor(address));
        }

        @Override
        public void close() {
            thread.shutdown();
        }
    }

    @Bean
    HoldTimeoutJob holdTimeoutJob(CertificateHolds holds, CertificateStore store) {
        return new HoldTimeoutJob(holds, store);
    }

    /**
     * Every interval: applies the fallback to mail that waited longer than
     * {@code sealgate.enrollment.hold-timeout} for its sender's certificate, and sends mail held for
     * a recipient's certificate once the store has a trusted one for that recipient.
     */
    static final class HoldTimeoutJob {

        private final CertificateHolds holds;
        private final CertificateStore store;

        HoldTimeoutJob(CertificateHolds holds, CertificateStore store) {
            this.holds = holds;
            this.store = store;
        }

        @Scheduled(initialDelayString = "${sealgate.crypto.hold-check-interval:1m}",
                fixedDelayString = "${sealgate.crypto.hold-check-interval:1m}")
        void check() {
            try {
                holds.expire();
                holds.retryRecipientHolds(address -> store.findUsable(address, KeyPurpose.ENCRYPTION, false).isPresent());
            } catch (RuntimeException e) {
                log.warn("Checking mail held for certificates failed, trying again in the next interval: {}", e.toString());
            }
        }
    }
}
