package dev.sealgate.security;

import dev.sealgate.net.OutboundWebClient;
import dev.sealgate.net.ProxyProperties;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.client.endpoint.OAuth2AuthorizationCodeGrantRequest;
import org.springframework.security.oauth2.client.endpoint.ReactiveOAuth2AccessTokenResponseClient;
import org.springframework.security.oauth2.client.endpoint.WebClientReactiveAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenValidator;
import org.springframework.security.oauth2.client.oidc.authentication.ReactiveOidcIdTokenDecoderFactory;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.converter.ClaimTypeConverter;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoderFactory;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The HTTP clients of the admin console's OpenID Connect sign-in, through the outbound proxy
 * ({@code sealgate.proxy.*}, ADR 0175): {@code oauth2Login} finds the code redemption and the ID
 * token decoder here by type; discovery and user info are in {@link OidcAdminSignIn}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("sealgate.admin.oidc.issuer-uri")
class OidcAdminClients {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    @Bean
    ReactiveOAuth2AccessTokenResponseClient<OAuth2AuthorizationCodeGrantRequest> oidcAdminTokenClient(ProxyProperties proxy) {
        WebClientReactiveAuthorizationCodeTokenResponseClient client = new WebClientReactiveAuthorizationCodeTokenResponseClient();
        client.setWebClient(OutboundWebClient.create(proxy.proxy(), CONNECT_TIMEOUT));
        return client;
    }

    /** As Spring's {@link ReactiveOidcIdTokenDecoderFactory} (RS256, its validators and claim types), with our client for the keys. */
    @Bean
    ReactiveJwtDecoderFactory<ClientRegistration> oidcAdminIdTokenDecoders(ProxyProperties proxy) {
        WebClient keys = OutboundWebClient.create(proxy.proxy(), CONNECT_TIMEOUT);
        Map<String, ReactiveJwtDecoder> decoders = new ConcurrentHashMap<>();
        return registration -> decoders.computeIfAbsent(registration.getRegistrationId(), id -> {
            NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder
                    .withJwkSetUri(registration.getProviderDetails().getJwkSetUri())
                    .jwsAlgorithm(SignatureAlgorithm.RS256)
                    .webClient(keys)
                    .build();
            decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(new JwtTimestampValidator(),
                    new OidcIdTokenValidator(registration)));
            decoder.setClaimSetConverter(new ClaimTypeConverter(ReactiveOidcIdTokenDecoderFactory.createDefaultClaimTypeConverters()));
            return decoder;
        });
    }
}
