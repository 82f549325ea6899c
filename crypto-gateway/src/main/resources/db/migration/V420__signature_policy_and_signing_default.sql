-- Issue 9: the signature's shape and RSA scheme per policy scope, and a partner's transition
-- allowance for weak inbound signatures (SHA-1, MD5, RSA under 2048 bits). NULL inherits.
ALTER TABLE crypto_policy ADD COLUMN signature_format VARCHAR(16);
ALTER TABLE crypto_policy ADD COLUMN signature_scheme VARCHAR(16);
ALTER TABLE crypto_policy ADD COLUMN allow_weak_signatures BOOLEAN;

-- The old default (WHEN_KEY_EXISTS) never enrolled a plain sender, so a fresh install signed
-- nothing although the README promised a certificate "the first time that user sends" (ADR 0091).
-- A global row still exactly as V201 wrote it is the old default, not an admin's choice: it moves
-- to AUTO. A global row anyone changed keeps what it says.
UPDATE crypto_policy SET outbound_signing = 'AUTO'
WHERE scope = 'global' AND outbound_signing = 'WHEN_KEY_EXISTS' AND strip_client_signatures = FALSE
  AND outbound_encryption = 'OPPORTUNISTIC' AND missing_certificate = 'REJECT' AND allow_untrusted_certificates = FALSE
  AND encrypt_meeting_requests = FALSE AND content_encryption IS NULL AND key_encryption IS NULL AND auto_enroll = TRUE
  AND inbound_undecryptable = 'DELIVER_ENCRYPTED' AND inbound_verify = TRUE AND inbound_requirement = 'NONE';

UPDATE crypto_policy SET signature_format = 'DETACHED', signature_scheme = 'RSA_PKCS1_V1_5', allow_weak_signatures = FALSE
WHERE scope = 'global';
