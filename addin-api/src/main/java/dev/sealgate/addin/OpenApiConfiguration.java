package dev.sealgate.addin;

import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import org.springframework.context.annotation.Configuration;

/** Describes the add-in's bearer token in the OpenAPI document. */
@Configuration(proxyBeanMethods = false)
@SecurityScheme(name = "addin-bearer", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
        description = "Access token of the organisation's identity provider (Entra ID via nested app auth, or any OIDC "
                + "issuer), audience sealgate.addin.auth.audience")
class OpenApiConfiguration {
}
