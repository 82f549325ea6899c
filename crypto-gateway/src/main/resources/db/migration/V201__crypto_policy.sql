-- Crypto policies: one row per scope ('global', a domain, or an address); NULL inherits from the
-- wider scope (address -> domain -> global -> built-in default).
CREATE TABLE crypto_policy (
    scope                        VARCHAR(320) PRIMARY KEY,
    outbound_signing             VARCHAR(16),
    strip_client_signatures      BOOLEAN,
    outbound_encryption          VARCHAR(16),
    missing_certificate          VARCHAR(16),
    allow_untrusted_certificates BOOLEAN,
    encrypt_meeting_requests     BOOLEAN,
    content_encryption           VARCHAR(16),
    key_encryption               VARCHAR(16),
    auto_enroll                  BOOLEAN,
    inbound_undecryptable        VARCHAR(20),
    inbound_verify               BOOLEAN,
    inbound_requirement          VARCHAR(24),
    updated_at                   TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Defaults on first start: sign when a key exists, encrypt opportunistically, auto-enroll own
-- users, decrypt and verify inbound.
INSERT INTO crypto_policy (scope, outbound_signing, strip_client_signatures, outbound_encryption, missing_certificate,
                           allow_untrusted_certificates, encrypt_meeting_requests, auto_enroll, inbound_undecryptable,
                           inbound_verify, inbound_requirement, updated_at)
VALUES ('global', 'WHEN_KEY_EXISTS', FALSE, 'OPPORTUNISTIC', 'REJECT', FALSE, FALSE, TRUE, 'DELIVER_ENCRYPTED', TRUE,
        'NONE', CURRENT_TIMESTAMP);
