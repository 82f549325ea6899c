package dev.sealgate.files;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    @Test
    void shouldVerifyTheRightPasswordOnlyAndSaltEveryHash() {
        String hash = PasswordHasher.hash("correct horse battery");

        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").doesNotContain("correct");
        assertThat(PasswordHasher.verify("correct horse battery", hash)).isTrue();
        assertThat(PasswordHasher.verify("correct horse batterY", hash)).isFalse();
        assertThat(PasswordHasher.hash("correct horse battery")).isNotEqualTo(hash);
    }

    @Test
    void shouldVerifyAgainstTheRfc9106Parameters() {
        // Stored with other parameters (as after a future raise): verification reads them from the string.
        String weaker = "$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$" + "";
        byte[] salt = java.util.Base64.getDecoder().decode("c29tZXNhbHRzb21lc2FsdA");
        org.bouncycastle.crypto.generators.Argon2BytesGenerator g = new org.bouncycastle.crypto.generators.Argon2BytesGenerator();
        g.init(new org.bouncycastle.crypto.params.Argon2Parameters.Builder(org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_id)
                .withVersion(org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(1024).withIterations(1).withParallelism(1).withSalt(salt).build());
        byte[] out = new byte[32];
        g.generateBytes("pw-12345".getBytes(java.nio.charset.StandardCharsets.UTF_8), out);
        String stored = weaker + java.util.Base64.getEncoder().withoutPadding().encodeToString(out);

        assertThat(PasswordHasher.verify("pw-12345", stored)).isTrue();
        assertThat(PasswordHasher.verify("pw-12346", stored)).isFalse();
    }
}
