package dev.sealgate.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document's title and version: this product and this build, not springdoc's defaults. */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

    @Bean
    OpenAPI sealgateOpenApi(ObjectProvider<BuildProperties> build) {
        BuildProperties properties = build.getIfAvailable();
        return new OpenAPI().info(new Info()
                .title("Sealgate API")
                .version(properties == null ? "development" : properties.getVersion())
                .description("Admin API (/api/v1/admin), Outlook add-in API (/api/v1/addin), large files and portal of the"
                        + " Sealgate S/MIME mail gateway"));
    }
}
