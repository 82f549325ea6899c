package dev.sealgate.pipeline;

import dev.sealgate.certprovider.CertificateChain;
import dev.sealgate.certprovider.CertificateProvider;
import dev.sealgate.certprovider.CertificateProviderException;
import dev.sealgate.certprovider.EnrollmentRequest;
import dev.sealgate.certprovider.EnrollmentResult;
import dev.sealgate.certprovider.OrderReference;
import dev.sealgate.certprovider.RevocationReason;
import dev.sealgate.certprovider.local.LocalCaConfig;
import dev.sealgate.certprovider.local.LocalCertificateAuthority;
import dev.sealgate.certs.CertificateKind;
import dev.sealgate.certs.CertificateStore;
import dev.sealgate.certs.MasterKey;
import dev.sealgate.certs.PrivateKeyCipher;
import dev.sealgate.certs.TrustStatus;
import dev.sealgate.enrollment.EnrollmentLog;
import dev.sealgate.enrollment.EnrollmentService;
import dev.sealgate.enrollment.EnrollmentSettings;
import dev.sealgate.enrollment.ProviderSelector;
import dev.sealgate.flags.AddinFlagsStep;
import dev.sealgate.flags.FlagsTokenVerifier;
import dev.sealgate.flags.JdbcFlagsSigningKeys;
import dev.sealgate.flags.MessageFlagsStore;
import dev.sealgate.policy.CryptoPolicy;
import dev.sealgate.policy.Direction;
import dev.sealgate.policy.PolicyRepository;
import dev.sealgate.policy.PolicyResolver;
import dev.sealgate.policy.PolicyScope;
import dev.sealgate.policy.RecipientPlanner;
import dev.sealgate.queue.Intake;
import dev.sealgate.queue.Notices;
import dev.sealgate.queue.QueueRepository;
import dev.sealgate.queue.Routing;
import dev.sealgate.queue.Spool;
import dev.sealgate.smime.TestPki;
import dev.sealgate.smtp.Envelope;
import dev.sealgate.smtp.EnvelopeRecipient;
import dev.sealgate.tracking.EventLog;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The crypto steps with everything real around them: a migrated database, the certificate store,
 * policies, the local CA behind the enrollment service (optionally answering "pending" until
 * approved), the add-in flags step, the intake that commits queue rows and failure notices.
 * Own domain {@code own.test}; partners in {@code partner.test}.
 */
final class CryptoRig {

    static final String OWN_DOMAIN = "own.test";

    /** The local CA, but pending until approved: a trust center with manual approval. */
    static final class ApprovalProvider implements CertificateProvider {
        private final CertificateProvider issuer;
        volatile boolean approved;
        volatile boolean immediate;

        ApprovalProvider(CertificateProvider issuer) {
            this.issuer = issuer;
        }

        @Override
        public String name() {
            return "approval";
        }

        @Override
        public EnrollmentResult enroll(EnrollmentRequest request) throws CertificateProviderException {
            EnrollmentResult issued = issuer.enroll(request);
            return immediate ? issued : new EnrollmentResult.Pending(issued.order(), "PENDING_APPROVAL");
        }

        @Override
        public EnrollmentResult poll(OrderReference order) throws CertificateProviderException {
            return approved ? issuer.poll(order) : new EnrollmentResult.Pending(order, "PENDING_APPROVAL");
        }

        @Override
        public CertificateChain fetchChain(OrderReference order) throws CertificateProviderException {
            return issuer.fetchChain(order);
        }

        @Override
        public void revoke(X509Certificate certificate, RevocationReason reason) throws CertificateProviderException {
            issuer.revoke(certificate, reason);
        }
    }

    final DataSource dataSource;
    final Clock clock = Clock.systemUTC();
    final PrivateKeyCipher cipher = new PrivateKeyCipher(MasterKey.random());
    final CertificateStore store;
    final PolicyRepository policyRepository;
    final PolicyResolver policies;
    final EventLog events;
    final EnrollmentLog enrollmentLog;
    final ApprovalProvider provider;
    final EnrollmentService enrollment;
    final JdbcFlagsSigningKeys flagsKeys;
    final AddinFlagsStep flagsStep;
    final InboundCryptoStep inbound;
    final OutboundCryptoStep outbound;
    final Spool spool;
    final QueueRepository queue;
    final Notices notices;
    final Intake intake;
    final CertificateHolds holds;

    CryptoRig(DataSource dataSource, Path dir, boolean encryptToSelf, Duration holdTimeout) throws Exception {
        this.dataSource = dataSource;
        store = new CertificateStore(dataSource, cipher, clock);
        policyRepository = new PolicyRepository(dataSource, clock);
        policies = new PolicyResolver(policyRepository);
        events = new EventLog(dataSource, clock);
        enrollmentLog = new EnrollmentLog(dataSource, clock);
        LocalCertificateAuthority ca = LocalCertificateAuthority.openOrCreate(new LocalCaConfig(dir.resolve("ca"), "ca".toCharArray()));
        for (X509Certificate c : ca.caCertificates()) {
            store.add(c, c.getSubjectX500Principal().equals(c.getIssuerX500Principal()) ? CertificateKind.ANCHOR
                    : CertificateKind.INTERMEDIATE, TrustStatus.TRUSTED);
        }
        store.add(TestPki.shared().root(), CertificateKind.ANCHOR, TrustStatus.TRUSTED);
        provider = new ApprovalProvider(ca);
        provider.immediate = true;
        EnrollmentSettings settings = new EnrollmentSettings(EnrollmentSettings.KeyAlgorithm.RSA, Duration.ofDays(14),
                Duration.ofMinutes(5), Duration.ofHours(1), 3, holdTimeout, Duration.ofMinutes(5));
        enrollment = new EnrollmentService(store, cipher, enrollmentLog, Map.of("local", provider),
                new ProviderSelector(Map.of(), Map.of(), Set.of(OWN_DOMAIN), "local"), policies, events, settings, clock);
        flagsKeys = new JdbcFlagsSigningKeys(dataSource, clock, new SecretKeySpec(new byte[32], "AES"), Duration.ofHours(25));
        flagsStep = new AddinFlagsStep(new FlagsTokenVerifier(flagsKeys, clock), new MessageFlagsStore(dataSource, clock), events);
        inbound = new InboundCryptoStep(store, policies, events);
        outbound = new OutboundCryptoStep(store, policies, new RecipientPlanner(), enrollment, events, encryptToSelf);
        spool = dev.sealgate.queue.TestSpools.encrypted(dir);
        queue = new QueueRepository(dataSource);
        Routing routing = new Routing("127.0.0.1:2", "127.0.0.1:3");
        notices = new Notices(spool, routing, a -> a.toLowerCase().endsWith("@" + OWN_DOMAIN), "gw.own.test", clock);
        intake = new Intake(spool, new Pipeline(List.of(flagsStep, inbound, outbound)), queue, routing, notices, clock, "gw.own.test",
                events, () -> { });
        holds = new CertificateHolds(queue, spool, outbound, notices, events, clock, holdTimeout, () -> { });
        enrollment.addListener(holds);
    }

    void policy(String scope, CryptoPolicy policy) {
        policyRepository.save(PolicyScope.parse(scope), policy);
    }

    /** Gives the own user a signing certificate from the test PKI. */
    TestPki.Identity ownUser(String address) {
        TestPki.Identity id = TestPki.shared().user(address, TestPki.KeyKind.RSA_2048);
        store.addOwn(id.certificate(), id.key());
        return id;
    }

    /** A partner whose certificate the store holds (trusted), advertising nothing. */
    TestPki.Identity partner(String address) {
        TestPki.Identity id = TestPki.shared().user(address, TestPki.KeyKind.RSA_2048);
        store.add(id.certificate(), CertificateKind.PARTNER, TrustStatus.TRUSTED);
        return id;
    }

    String receive(Direction direction, String sender, List<String> recipients, String raw) throws Exception {
        Envelope envelope = new Envelope(sender, null, null,
                recipients.stream().map(r -> new EnvelopeRecipient(r, null, null, null)).toList(),
                direction == Direction.OUTBOUND ? "127.0.0.1" : "192.0.2.7", "client.test", null, null, direction);
        return intake.accept(envelope, new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
    }

    /** A queued recipient row. */
    record Row(String address, String status, String detail, String contentFile) {
    }

    List<Row> rows(String messageId) {
        return JdbcClient.create(dataSource).sql("SELECT address, status, status_detail, content_file FROM mail_recipient"
                        + " WHERE message_id = ? ORDER BY id")
                .param(messageId)
                .query((rs, n) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4))).list();
    }

    Row row(String messageId, String address) {
        return rows(messageId).stream().filter(r -> r.address().equalsIgnoreCase(address)).findFirst()
                .orElseThrow(() -> new AssertionError("no queue row for " + address + " in " + rows(messageId)));
    }

    /** Failure notices queued to the sender. */
    List<String> noticesTo(String sender) throws Exception {
        List<String> files = JdbcClient.create(dataSource).sql("SELECT r.content_file FROM mail_recipient r JOIN mail_message m"
                        + " ON m.id = r.message_id WHERE r.address = ? AND m.envelope_sender = ''")
                .param(sender).query(String.class).list();
        List<String> texts = new java.util.ArrayList<>();
        for (String f : files) {
            texts.add(dev.sealgate.queue.TestSpools.text(spool.open(f)));
        }
        return texts;
    }

    String cryptoOperations(String messageId) {
        return JdbcClient.create(dataSource).sql("SELECT crypto_operations FROM mail_message WHERE id = ?").param(messageId)
                .query(String.class).single();
    }

    MimeMessage content(Row row) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new java.io.ByteArrayInputStream(
                dev.sealgate.queue.TestSpools.text(spool.open(row.contentFile())).getBytes(StandardCharsets.UTF_8)));
    }

    static String mail(String from, String to, String subject, String body, String... extraHeaders) {
        StringBuilder s = new StringBuilder();
        s.append("From: ").append(from).append("\r\nTo: ").append(to).append("\r\nSubject: ").append(subject).append("\r\n");
        if (java.util.Arrays.stream(extraHeaders).noneMatch(h -> h.startsWith("Message-ID:"))) {
            s.append("Message-ID: <").append(Math.abs(body.hashCode())).append(".").append(System.nanoTime()).append("@test>\r\n");
        }
        for (String h : extraHeaders) {
            s.append(h).append("\r\n");
        }
        s.append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n").append(body).append("\r\n");
        return s.toString();
    }
}
