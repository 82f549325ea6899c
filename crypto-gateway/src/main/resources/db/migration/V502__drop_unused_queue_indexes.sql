-- Three B-trees that no query uses, each written with every message (ADR 0194; EXPLAIN on H2 and
-- PostgreSQL in the ADR): the tracking search compares LOWER(envelope_sender) and LOWER(address)
-- with LIKE '%...%', which a plain index cannot serve; takeover looks at claimed_node only inside an
-- OR over rows the status index found, and releaseClaims matches claimed_by by prefix.
DROP INDEX IF EXISTS mail_message_sender;
DROP INDEX IF EXISTS mail_recipient_address;
DROP INDEX IF EXISTS mail_recipient_claimed_node;
