package dev.sealgate.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProviderSelectorTest {

    private final ProviderSelector selector = new ProviderSelector(
            Map.of("Ceo@Own.example", "swisssign", "group:Board", "cmc", "subsidiary.example", "swisssign"),
            Map.of("board", List.of("chair@own.example", "ceo@own.example")),
            Set.of("Own.Example", "subsidiary.example"), "local");

    @Test
    void shouldPreferAddressOverGroupOverDomainOverDefault() {
        assertThat(selector.providerFor("Ceo@OWN.example")).contains("swisssign");
        assertThat(selector.providerFor("chair@own.example")).contains("cmc");
        assertThat(selector.providerFor("anyone@subsidiary.example")).contains("swisssign");
        assertThat(selector.providerFor("anyone@own.example")).contains("local");
    }

    @Test
    void shouldEnrollNobodyOutsideOwnDomainsWithoutAMapping() {
        assertThat(selector.providerFor("bob@partner.example")).isEmpty();
        assertThat(new ProviderSelector(Map.of(), Map.of(), Set.of("own.example"), null).providerFor("a@own.example")).isEmpty();
    }

    @Test
    void shouldKeepLocalPartExactForAddressMappings() {
        assertThat(selector.providerFor("ceo@own.example")).as("lower-case ceo is only in the board group").contains("cmc");
    }
}
