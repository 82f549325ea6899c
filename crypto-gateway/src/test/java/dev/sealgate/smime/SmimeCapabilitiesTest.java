package dev.sealgate.smime;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SmimeCapabilitiesTest {

    private static SmimeCapabilities advertising(ContentEncryption... c) {
        return new SmimeCapabilities(List.of(c), Set.of(), List.of());
    }

    @Test
    void shouldChooseGcmOnlyWhenEveryRecipientAdvertisedIt() {
        assertThat(SmimeCapabilities.strongestCommon(List.of(
                advertising(ContentEncryption.AES256_GCM, ContentEncryption.AES256_CBC),
                advertising(ContentEncryption.AES128_GCM, ContentEncryption.AES256_GCM))))
                .isEqualTo(ContentEncryption.AES256_GCM);
        assertThat(SmimeCapabilities.strongestCommon(List.of(
                advertising(ContentEncryption.AES256_GCM, ContentEncryption.AES256_CBC),
                advertising(ContentEncryption.AES256_CBC))))
                .isEqualTo(ContentEncryption.AES256_CBC);
    }

    @Test
    void shouldAssumeTheDefaultForARecipientThatAdvertisedNothing() {
        assertThat(SmimeCapabilities.strongestCommon(List.of(advertising(ContentEncryption.AES256_GCM),
                SmimeCapabilities.none()))).isEqualTo(ContentEncryption.AES256_CBC);
    }

    @Test
    void shouldFallBackToAes128CbcWhenThatIsAllARecipientReads() {
        assertThat(SmimeCapabilities.strongestCommon(List.of(advertising(ContentEncryption.AES128_CBC))))
                .isEqualTo(ContentEncryption.AES128_CBC);
    }
}
