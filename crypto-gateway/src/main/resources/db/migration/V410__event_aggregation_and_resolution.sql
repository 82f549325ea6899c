-- Event log: repeated identical events are counted in one row per window instead of one row each
-- (a client that tries a wrong key 10,000 times makes one row with occurrences = 10000), and a
-- standing condition raised at start (e.g. "no own domains configured") can be marked resolved.
ALTER TABLE event_log ADD COLUMN occurrences INTEGER DEFAULT 1 NOT NULL;
ALTER TABLE event_log ADD COLUMN last_occurred_at TIMESTAMP WITH TIME ZONE;
UPDATE event_log SET last_occurred_at = occurred_at;
ALTER TABLE event_log ALTER COLUMN last_occurred_at SET NOT NULL;
-- SHA-256 (hex) of severity, source and message: what "identical" means
ALTER TABLE event_log ADD COLUMN fingerprint VARCHAR(64);
-- the standing condition an event reports (e.g. startup.no-own-domains); null for one-off events
ALTER TABLE event_log ADD COLUMN condition_key VARCHAR(100);
ALTER TABLE event_log ADD COLUMN resolved_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE event_log ADD COLUMN resolution VARCHAR(1000);
CREATE INDEX event_log_fingerprint ON event_log (fingerprint, occurred_at);
CREATE INDEX event_log_condition ON event_log (condition_key);
CREATE INDEX event_log_last_occurred_at ON event_log (last_occurred_at);
