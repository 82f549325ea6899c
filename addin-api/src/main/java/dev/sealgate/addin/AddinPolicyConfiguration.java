package dev.sealgate.addin;

import dev.sealgate.certs.CertificateStore;
import dev.sealgate.enrollment.EnrollmentService;
import dev.sealgate.files.FilesProperties;
import dev.sealgate.policy.PolicyResolver;
import dev.sealgate.policy.RecipientPlanner;
import dev.sealgate.policy.StoreLookups;
import java.util.List;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Puts the certificate store and the crypto policies behind the add-in API: the recipient check
 * and the task pane's settings answer as the gateway will act on the message. These are the only
 * beans of their types (the configuration-only stand-ins are gone), so a test or an extension
 * that wants another answer declares its own bean {@code @Primary}.
 */
@Configuration(proxyBeanMethods = false)
class AddinPolicyConfiguration {

    @Bean
    RecipientLookup policyRecipientLookup(RecipientPlanner planner, PolicyResolver policies, CertificateStore store,
                                          EnrollmentService enrollment, Environment environment) {
        List<String> domains = Binder.get(environment).bind("sealgate.domains", Bindable.listOf(String.class)).orElse(List.of());
        return new PolicyRecipientLookup(planner, new StoreLookups(policies, store, enrollment::canEnroll), store, domains);
    }

    @Bean
    AddinSettingsPolicy policyAddinSettings(AddinProperties addin, FilesProperties files, PolicyResolver policies) {
        return new PolicyAddinSettings(new ConfiguredAddinSettings(addin, files), policies);
    }
}
