package dev.sealgate.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.storage.DatabaseExtension;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

class QueueRepositoryH2Test implements QueueRepositoryContract {

    @RegisterExtension
    static final DatabaseExtension db = DatabaseExtension.h2();

    @Override
    public DataSource dataSource() {
        return db.dataSource();
    }

    /** ADR 0195: H2 allocates ids of the per-message tables 1024 at a time, not 32 (one metadata commit each). */
    @Test
    void shouldAllocateQueueIdsInLargeBlocksOnH2() {
        assertThat(JdbcClient.create(db.dataSource()).sql("SELECT LOWER(table_name), identity_cache FROM information_schema.columns"
                        + " WHERE LOWER(column_name) = 'id' AND LOWER(table_name) IN ('mail_recipient', 'delivery_attempt')")
                .query((rs, n) -> rs.getString(1) + "=" + rs.getLong(2)).list())
                .containsExactlyInAnyOrder("mail_recipient=1024", "delivery_attempt=1024");
    }
}
