package dev.sealgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.policy.SubjectFlags.Flag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubjectFlagsTest {

    @Test
    void shouldFindFlagAtStartAndRemoveIt() {
        SubjectFlags parsed = SubjectFlags.parse("[encrypt] Quarterly figures");

        assertThat(parsed.flags()).containsExactly(Flag.ENCRYPT);
        assertThat(parsed.subject()).isEqualTo("Quarterly figures");
    }

    @Test
    void shouldFindFlagsAtBothEndsInAnyCaseAndWithSpaces() {
        SubjectFlags parsed = SubjectFlags.parse("  [ En Crypt ]\t[SIGN]Contract draft [ no sign ]  ");

        assertThat(parsed.flags()).containsExactlyInAnyOrder(Flag.ENCRYPT, Flag.SIGN, Flag.NOSIGN);
        assertThat(parsed.subject()).isEqualTo("Contract draft");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Re: [encrypt] figures|Re: [encrypt] figures",
            "[EXTERNAL] [encrypt] figures|[EXTERNAL] [encrypt] figures",
            "[encrypt figures|[encrypt figures",
            "[[encrypt]] figures|[[encrypt]] figures",
            "figures [encrypted]|figures [encrypted]",
            "figures [crypt]|figures [crypt]",
            "[]|[]",
    })
    void shouldLeaveSubjectsAloneWithoutAFlagAtEitherEnd(String subject, String expected) {
        SubjectFlags parsed = SubjectFlags.parse(subject);

        assertThat(parsed.flags()).isEmpty();
        assertThat(parsed.subject()).isEqualTo(expected);
    }

    @Test
    void shouldStopAtAnUnknownBracketButKeepFlagsBeforeIt() {
        SubjectFlags parsed = SubjectFlags.parse("[sign][EXTERNAL] figures [Plain]");

        assertThat(parsed.flags()).containsExactlyInAnyOrder(Flag.SIGN, Flag.PLAIN);
        assertThat(parsed.subject()).isEqualTo("[EXTERNAL] figures");
    }

    @Test
    void shouldLeaveEmptySubjectWhenItWasOnlyFlags() {
        SubjectFlags parsed = SubjectFlags.parse("[encrypt] [sign]");

        assertThat(parsed.flags()).containsExactlyInAnyOrder(Flag.ENCRYPT, Flag.SIGN);
        assertThat(parsed.subject()).isEmpty();
    }

    @Test
    void shouldHandleNullAndFoldedAndNonBreakingSpaces() {
        assertThat(SubjectFlags.parse(null).flags()).isEmpty();
        assertThat(SubjectFlags.parse(null).subject()).isNull();

        SubjectFlags folded = SubjectFlags.parse("[encrypt]\r\n Figures\u00a0[\u00a0sign\u00a0]");
        assertThat(folded.flags()).containsExactlyInAnyOrder(Flag.ENCRYPT, Flag.SIGN);
        assertThat(folded.subject()).isEqualTo("Figures");
    }

    @Test
    void shouldNotStumbleOverLongHostileSubjects() {
        String hostile = "[".repeat(50_000) + "encrypt" + "]".repeat(50_000) + " x".repeat(50_000);

        SubjectFlags parsed = SubjectFlags.parse(hostile);

        assertThat(parsed.flags()).isEmpty();
        assertThat(parsed.subject()).isSameAs(hostile);
    }

    @Test
    void shouldResolveRequestsWithProtectionWinning() {
        assertThat(SubjectFlags.parse("[encrypt][plain] x").request()).isEqualTo(new ProtectionRequest(true, false));
        assertThat(SubjectFlags.parse("[plain] x").request()).isEqualTo(new ProtectionRequest(false, false));
        assertThat(SubjectFlags.parse("[nosign] x").request()).isEqualTo(new ProtectionRequest(null, false));
        assertThat(SubjectFlags.parse("x").request()).isEqualTo(ProtectionRequest.NONE);
        assertThat(new ProtectionRequest(false, null).and(new ProtectionRequest(true, false)))
                .isEqualTo(new ProtectionRequest(true, false));
    }
}
