-- Message tracking finds a message by its Message-ID header (issue 12), without angle brackets.
-- Exact match on an index: a Message-ID is an identifier, pasted whole from a mail client or a log.
ALTER TABLE mail_message ADD COLUMN header_message_id VARCHAR(998);
CREATE INDEX mail_message_header_message_id ON mail_message (header_message_id);
