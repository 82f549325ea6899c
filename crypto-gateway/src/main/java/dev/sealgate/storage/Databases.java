package dev.sealgate.storage;

import java.nio.file.Path;

/** Connection settings that the service and the tests agree on. */
public final class Databases {

    /**
     * H2 settings that make it accept the PostgreSQL dialect our migrations and queries use, so one
     * set of SQL serves both databases.
     */
    public static final String H2_COMPATIBILITY = "MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    private Databases() {
    }

    /** The embedded default: an H2 file database in {@code <dataDir>/db}. */
    public static String embeddedUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.resolve("db").resolve("sealgate").toAbsolutePath() + ";" + H2_COMPATIBILITY;
    }

    /** A JDBC URL with any password parameter removed, fit for a log line. */
    public static String redact(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^;&]*", "$1***");
    }
}
