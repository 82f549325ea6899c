package dev.sealgate.queue;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;

/**
 * Whether a failure on the way to "250" may go away when the client sends again (then 451) or
 * will come back the same (then 5xx: RFC 5321 4.2.5, a client must not retry a message for ever
 * because of a fault that a retry cannot change).
 */
final class Failures {

    private Failures() {
    }

    /**
     * Transient: input/output (disk, network, a certificate provider), a database that is down,
     * busy or in a deadlock. Everything else (an argument the code refuses, a class cast, a
     * constraint the content breaks) is a defect or bad input and permanent.
     */
    static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException || t instanceof UncheckedIOException || t instanceof TransientDataAccessException
                    || t instanceof RecoverableDataAccessException || t instanceof DataAccessResourceFailureException) {
                return true;
            }
            if (t instanceof java.sql.SQLTransientException || t instanceof java.sql.SQLRecoverableException) {
                return true;
            }
        }
        return false;
    }
}
