package dev.sealgate.storage;

import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link TestDatabase} for one test class, opened before its first test and closed after its
 * last: {@code @RegisterExtension static final DatabaseExtension db = DatabaseExtension.h2();}.
 */
public final class DatabaseExtension implements BeforeAllCallback, AfterAllCallback {

    private final Supplier<TestDatabase> factory;
    private TestDatabase database;

    private DatabaseExtension(Supplier<TestDatabase> factory) {
        this.factory = factory;
    }

    public static DatabaseExtension h2() {
        return new DatabaseExtension(TestDatabase::h2);
    }

    public static DatabaseExtension postgres() {
        return new DatabaseExtension(TestDatabase::postgres);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        database = factory.get();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (database != null) {
            database.close();
        }
    }

    public DataSource dataSource() {
        return database.dataSource();
    }

    public TestDatabase database() {
        return database;
    }
}
