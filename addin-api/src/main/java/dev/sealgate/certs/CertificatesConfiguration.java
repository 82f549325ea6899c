package dev.sealgate.certs;

import dev.sealgate.SealgateProperties;
import dev.sealgate.certprovider.CertificateProvider;
import dev.sealgate.certprovider.CertificateProviderException;
import dev.sealgate.certprovider.ProviderHttp;
import dev.sealgate.certprovider.local.FileLocalCaStore;
import dev.sealgate.certprovider.local.LocalCaSettings;
import dev.sealgate.certprovider.local.LocalCertificateAuthority;
import dev.sealgate.certprovider.swisssign.cmc.SwissSignCmcClient;
import dev.sealgate.certprovider.swisssign.cmc.SwissSignCmcConfig;
import dev.sealgate.certprovider.swisssign.rest.SwissSignRestClient;
import dev.sealgate.certprovider.swisssign.rest.SwissSignRestConfig;
import dev.sealgate.cluster.CacheGenerations;
import dev.sealgate.cluster.CacheProperties;
import dev.sealgate.enrollment.EnrollmentLog;
import dev.sealgate.enrollment.EnrollmentProperties;
import dev.sealgate.enrollment.EnrollmentService;
import dev.sealgate.enrollment.ProviderSelector;
import dev.sealgate.net.OutboundHttp;
import dev.sealgate.net.ProxyProperties;
import dev.sealgate.policy.PolicyRepository;
import dev.sealgate.policy.PolicyResolver;
import dev.sealgate.policy.RecipientPlanner;
import dev.sealgate.tracking.EventLog;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Wires the key and certificate store, the crypto policies and enrollment: master key, store,
 * policy resolver, recipient planner, the local CA in the database and the configured
 * providers, the enrollment service.
 */
@Configuration(proxyBeanMethods = false)
public class CertificatesConfiguration {

    /** From {@code sealgate.master-key} (or the environment), else generated into the data directory. */
    @Bean
    MasterKey masterKey(CertificateProperties properties, SealgateProperties sealgate) {
        return properties.masterKeyConfigured()
                ? MasterKey.fromBase64(properties.masterKey())
                : MasterKey.loadOrCreate(sealgate.dataDir().resolve("master.key"));
    }

    @Bean
    PrivateKeyCipher privateKeyCipher(MasterKey masterKey) {
        return new PrivateKeyCipher(masterKey);
    }

    @Bean
    CertificateStore certificateStore(DataSource dataSource, PrivateKeyCipher cipher, Clock clock,
                                      CacheGenerations generations, CertificateCacheProperties cache) {
        return new CertificateStore(dataSource, cipher, clock, generations, cache.maxEntries());
    }

    @Bean
    PolicyRepository policyRepository(DataSource dataSource, Clock clock, CacheGenerations generations, CacheProperties cache) {
        return new PolicyRepository(dataSource, clock, generations, cache.maxEntries());
    }

    @Bean
    PolicyResolver policyResolver(PolicyRepository repository) {
        return new PolicyResolver(repository);
    }

    @Bean
    RecipientPlanner recipientPlanner() {
        return new RecipientPlanner();
    }

    @Bean
    EnrollmentLog enrollmentLog(DataSource dataSource, Clock clock) {
        return new EnrollmentLog(dataSource, clock);
    }

    /**
     * The embedded CA, in the database so that every node of a cluster issues from and publishes the
     * same one; created on first start, or moved there from {@code <data-dir>/ca} (the layout of a
     * single node before clusters, whose PKCS#12 password is derived from the master key).
     */
    @Bean
    @DependsOnDatabaseInitialization
    LocalCertificateAuthority localCertificateAuthority(SealgateProperties sealgate, EnrollmentProperties properties,
                                                        MasterKey masterKey, PrivateKeyCipher cipher, DataSource dataSource,
                                                        EventLog events, Clock clock) throws CertificateProviderException {
        EnrollmentProperties.LocalCa ca = properties.localCa();
        DatabaseLocalCaStore store = new DatabaseLocalCaStore(dataSource, cipher, clock);
        Path directory = sealgate.dataDir().resolve("ca");
        switch (LocalCaMigration.moveIntoDatabase(new FileLocalCaStore(directory, masterKey.derivePassword("local-ca/pkcs12")), store)) {
            case MOVED -> events.info("certificates", "Moved the local CA from " + directory + " into the database; the directory"
                    + " is kept as " + LocalCaMigration.MOVED_DIRECTORY + " and no longer read", null);
            case OTHER_CA_IN_DATABASE -> events.warning("certificates", "The local CA in " + directory + " is not the cluster's:"
                    + " another node put its CA into the database first. Certificates issued from " + directory
                    + " stay valid, but their revocations are no longer published; re-issue them and remove the directory",
                    null);
            case NOTHING_TO_MOVE -> {
            }
        }
        return LocalCertificateAuthority.openOrCreate(store, new LocalCaSettings(ca.caName(), ca.certificateValidity(), null,
                ca.crlDistributionPoint()), clock);
    }

    @Bean
    ProviderSelector providerSelector(EnrollmentProperties properties, Environment environment) {
        Set<String> ownDomains = new HashSet<>(Binder.get(environment)
                .bind("sealgate.domains", Bindable.listOf(String.class)).orElse(List.of()));
        return new ProviderSelector(properties.providers(), properties.groups(), ownDomains, properties.defaultProvider());
    }

    @Bean
    EnrollmentService enrollmentService(CertificateStore store, PrivateKeyCipher cipher, EnrollmentLog log,
                                        LocalCertificateAuthority localCa, EnrollmentProperties properties,
                                        ProviderSelector selector, PolicyResolver policies, EventLog events, Clock clock,
                                        ProxyProperties proxy, Environment environment)
            throws CertificateProviderException {
        Binder binder = Binder.get(environment);
        Map<String, CertificateProvider> providers = new LinkedHashMap<>();
        providers.put("local", localCa);
        EnrollmentProperties.SwissSign swissSign = properties.swisssign();
        if (swissSign.configured()) {
            providers.put("swisssign", new SwissSignRestClient(new SwissSignRestConfig(swissSign.baseUrl(),
                    swissSign.userName(), swissSign.userSecret(), swissSign.productReference(),
                    null, null, null, null, null, null, null), clock,
                    providerHttp(binder, "sealgate.enrollment.swisssign", proxy)));
        }
        EnrollmentProperties.SwissSignCmc cmc = properties.swisssignCmc();
        if (cmc.configured()) {
            if (cmc.accessKeyStore() == null || cmc.accessKeyStorePassword() == null) {
                throw new IllegalArgumentException("sealgate.enrollment.swisssign-cmc needs access-key-store and "
                        + "access-key-store-password (the AutoRAO PKCS#12) when account is set");
            }
            char[] password = cmc.accessKeyStorePassword().toCharArray();
            try {
                providers.put("swisssign-cmc", new SwissSignCmcClient(new SwissSignCmcConfig(cmc.endpoint(), cmc.account(),
                        cmc.product(), cmc.accessKeyStore(), password, cmc.accessKeyAlias(), null, null, null, null), clock,
                        providerHttp(binder, "sealgate.enrollment.swisssign-cmc", proxy)));
            } finally {
                Arrays.fill(password, '\0');
            }
        }
        for (Map.Entry<String, String> mapping : properties.providers().entrySet()) {
            if (!providers.containsKey(mapping.getValue())) {
                throw new IllegalArgumentException("sealgate.enrollment.providers maps " + mapping.getKey() + " to provider '"
                        + mapping.getValue() + "', which is not configured; configured are " + providers.keySet());
            }
        }
        return new EnrollmentService(store, cipher, log, providers, selector, policies, events, properties.settings(), clock);
    }

    /** Every provider's HTTP client comes from {@link OutboundHttp}, with the global proxy or the provider's own. */
    private static ProviderHttp providerHttp(Binder binder, String prefix, ProxyProperties proxy) {
        return OutboundHttp.forProviders(ProxyProperties.forProvider(binder, prefix, proxy.proxy()));
    }

    @Bean
    CertificateStartup certificateStartup(CertificateStore store, CertificateProperties properties,
                                          LocalCertificateAuthority localCa, EventLog events) {
        return new CertificateStartup(store, properties, localCa, events);
    }

    @Bean
    EnrollmentJobs enrollmentJobs(EnrollmentService service) {
        return new EnrollmentJobs(service);
    }
}
