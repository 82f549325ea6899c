package dev.sealgate.certs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.storage.TestDatabase;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** V516 gives the certificates stored before it an origin: enrolled where the enrollment log names them, else unknown. */
class CertificateOriginMigrationTest {

    private static final Map<String, Function<String, TestDatabase>> DATABASES = Map.of("H2", TestDatabase::h2, "PostgreSQL", TestDatabase::postgres);

    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void shouldCallACertificateTheEnrollmentLogNamesEnrolledAndTheOthersUnknown(String database) {
        try (TestDatabase db = DATABASES.get(database).apply("515")) {
            JdbcClient jdbc = JdbcClient.create(db.dataSource());
            OffsetDateTime now = OffsetDateTime.of(2026, 11, 1, 10, 0, 0, 0, ZoneOffset.UTC);
            for (String fingerprint : List.of("aa", "bb")) {
                jdbc.sql("INSERT INTO certificate (fingerprint, kind, trust_status, subject, subject_canonical, issuer, issuer_canonical,"
                                + " serial, not_before, not_after, can_sign, can_encrypt, key_algorithm, der, created_at)"
                                + " VALUES (?, 'OWN', 'TRUSTED', 'CN=x', 'cn=x', 'CN=ca', 'cn=ca', ?, ?, ?, TRUE, TRUE, 'EC', ?, ?)")
                        .params(fingerprint, fingerprint, now, now.plusYears(1), new byte[] {1}, now).update();
            }
            long enrolled = jdbc.sql("SELECT id FROM certificate WHERE fingerprint = 'aa'").query(Long.class).single();
            jdbc.sql("INSERT INTO enrollment_request (id, created_at, updated_at, address, request_type, request_status, provider,"
                            + " certificate_id, attempt) VALUES ('r-1', ?, ?, 'a@corp.example', 'CERTIFICATE_REQUEST', 'SUCCEEDED', 'swisssign-rest', ?, 1)")
                    .params(now, now, enrolled).update();

            db.migrateToLatest();

            assertThat(jdbc.sql("SELECT fingerprint, origin, origin_detail FROM certificate ORDER BY fingerprint")
                    .query((rs, n) -> rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3)).list())
                    .containsExactly("aa ENROLLED provider swisssign-rest", "bb UNKNOWN null");
        }
    }
}
