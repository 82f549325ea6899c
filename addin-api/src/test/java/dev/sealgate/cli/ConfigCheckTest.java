package dev.sealgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code config check} as an admin runs it: a separate JVM, the service's main class, the
 * configuration from the command line and from {@code ./config/application.yml}.
 */
class ConfigCheckTest {

    @TempDir
    Path workingDirectory;

    record Run(int exitCode, String out, String err) {
    }

    private Run configCheck(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.sealgate.SealgateApplication", "config", "check",
                "--sealgate.data-dir=" + workingDirectory.resolve("data")));
        command.addAll(List.of(arguments));
        Path out = workingDirectory.resolve("out.txt");
        Path err = workingDirectory.resolve("err.txt");
        Process process = new ProcessBuilder(command).directory(workingDirectory.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("config check finishes").isTrue();
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void shouldAcceptAValidConfigurationAndPrintTheStartupSummary() throws Exception {
        Run run = configCheck("--sealgate.domains=corp.example", "--sealgate.company-servers=10.0.0.25/32",
                "--sealgate.smtp.host-name=mx.corp.example", "--sealgate.public-base-url=https://gateway.corp.example");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("own domains:         corp.example", "company servers:     10.0.0.25/32",
                "host name:           mx.corp.example", "public base URL:     https://gateway.corp.example",
                "admin console:       https://gateway.corp.example/console/", "configuration is valid");
        assertThat(run.out()).as("nothing to fix about the host name or base URL")
                .doesNotContain("warning: host name", "warning: no public base URL", "warning: no own domains");
        assertThat(Files.exists(workingDirectory.resolve("data/db"))).as("the check starts no database").isFalse();
    }

    @Test
    void shouldRefuseAnSmtpPortThatIsNotANumberAndNameTheKey() throws Exception {
        Run run = configCheck("--sealgate.smtp.port=twenty-five");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("invalid configuration", "sealgate.smtp.port", "twenty-five");
    }

    @Test
    void shouldRefuseACompanyServerRangeThatDoesNotParse() throws Exception {
        Run run = configCheck("--sealgate.domains=corp.example", "--sealgate.company-servers=10.0.0.300/33");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("sealgate.company-servers", "10.0.0.300/33");
    }

    @Test
    void shouldWarnAboutWhatANewcomerMustFix() throws Exception {
        Run run = configCheck("--sealgate.smtp.host-name=localhost");

        assertThat(run.exitCode()).as("warnings do not make a configuration invalid").isZero();
        assertThat(run.out()).contains("warning: host name is 'localhost'", "warning: no public base URL",
                "warning: master key is generated", "warning: no own domains", "warning: no admin account");
    }

    @Test
    void shouldReadTheConfigDirectoryOfTheWorkingDirectoryAndSayWhichFileItRead() throws Exception {
        Path config = Files.createDirectories(workingDirectory.resolve("config")).resolve("application.yml");
        Files.writeString(config, """
                sealgate:
                  domains: from-config-dir.example
                  database-password-should-not-show: s3cr3t
                """);

        Run run = configCheck();

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("own domains:         from-config-dir.example")
                .containsPattern("configuration files: .*config/application\\.yml")
                .doesNotContain("s3cr3t");
    }

    @Test
    void shouldShowTheDatabaseWithoutCredentialsOrFlags() throws Exception {
        Run run = configCheck("--spring.datasource.url=jdbc:postgresql://db.corp.example:5432/sealgate?password=hunter2&ssl=true",
                "--spring.datasource.password=hunter2");

        assertThat(run.out()).contains("database:            PostgreSQL db.corp.example:5432/sealgate").doesNotContain("hunter2", "ssl=true");
    }
}
