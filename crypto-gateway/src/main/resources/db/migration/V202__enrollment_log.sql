-- Enrollment log: every request to a certificate provider (certificate request, renewal,
-- revocation) with its status, the failure category and the error text an admin needs.
CREATE TABLE enrollment_request (
    id                 VARCHAR(36)   PRIMARY KEY,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    address            VARCHAR(320)  NOT NULL,
    request_type       VARCHAR(24)   NOT NULL,
    request_status     VARCHAR(16)   NOT NULL,
    failure_status     VARCHAR(24),
    error_text         TEXT,
    provider           VARCHAR(64)   NOT NULL,
    subject            VARCHAR(2000),
    order_id           VARCHAR(200),
    order_submitted_at TIMESTAMP WITH TIME ZONE,
    certificate_id     BIGINT,
    attempt            INTEGER       NOT NULL,
    -- For a failed request with a trust center error: when the next attempt is due (NULL: none).
    retry_at           TIMESTAMP WITH TIME ZONE,
    -- While pending: the key pair's private key, AES-GCM under the master key, bound to this id.
    pending_key        BYTEA,
    pending_key_algorithm VARCHAR(16),
    -- One node works on a row at a time: it claims the row until this instant.
    claimed_until      TIMESTAMP WITH TIME ZONE
);
CREATE INDEX enrollment_request_address ON enrollment_request (address, created_at);
CREATE INDEX enrollment_request_status ON enrollment_request (request_status, retry_at);
