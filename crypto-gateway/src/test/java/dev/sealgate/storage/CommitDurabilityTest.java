package dev.sealgate.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CommitDurabilityTest {

    @Test
    void shouldSyncTheEmbeddedDatabaseAfterCommit() {
        try (TestDatabase h2 = TestDatabase.h2()) {
            CommitDurability durability = CommitDurability.of(h2.dataSource());

            assertThat(durability.kind()).isEqualTo(CommitDurability.Kind.CHECKPOINT_SYNC);
            durability.afterCommit();
        }
    }

    @Test
    void shouldRelyOnThePostgresCommitItself() {
        try (TestDatabase postgres = TestDatabase.postgres()) {
            assertThat(CommitDurability.of(postgres.dataSource()).kind()).isEqualTo(CommitDurability.Kind.AT_COMMIT);
        }
    }

    @Test
    void shouldReportAFailedSyncInsteadOfPretendingDurability() {
        TestDatabase h2 = TestDatabase.h2();
        CommitDurability durability = CommitDurability.of(h2.dataSource());
        h2.close();

        assertThatThrownBy(durability::afterCommit)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("could not sync the embedded database to disk");
    }
}
