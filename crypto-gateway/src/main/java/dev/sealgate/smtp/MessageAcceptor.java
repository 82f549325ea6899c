package dev.sealgate.smtp;

import java.io.IOException;
import java.io.InputStream;
import org.subethamail.smtp.RejectException;

/**
 * Takes a message at the end of DATA. Returns only once the message is durably stored, because
 * the caller answers "250" right after; throws to make the client retry (4xx) or give up (5xx).
 */
public interface MessageAcceptor {

    /**
     * @param envelope the envelope of the transaction
     * @param content  the message as received, dot-unstuffed, ending at the end of DATA
     * @return the queue id, for the "250 2.0.0 Ok: queued as ..." reply
     */
    String accept(Envelope envelope, InputStream content) throws IOException, RejectException;
}
