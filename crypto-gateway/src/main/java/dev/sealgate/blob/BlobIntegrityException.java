package dev.sealgate.blob;

import java.io.IOException;

/**
 * A stored blob is not what was stored: shorter, longer, altered, or not decryptable under the
 * configured master key. Retrying does not help; the blob must be restored from a backup or the
 * message or file given up.
 */
public class BlobIntegrityException extends IOException {

    public BlobIntegrityException(String message) {
        super(message);
    }

    public BlobIntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
