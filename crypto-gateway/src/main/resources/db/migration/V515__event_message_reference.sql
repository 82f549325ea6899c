-- An event raised on behalf of one message names it (issue 12): the tracking id (mail_message.id,
-- the queue id in the Received header and in 5xx replies) and its Message-ID header, without angle
-- brackets. Message tracking lists a message's events by the tracking id; the event log filters by
-- either. Events not about one message (TLS handshakes, start-up conditions) have neither.
-- ADR 0200: an event of one message is never aggregated with another message's event.
ALTER TABLE event_log ADD COLUMN tracking_id VARCHAR(64);
ALTER TABLE event_log ADD COLUMN message_id VARCHAR(998);
CREATE INDEX event_log_tracking_id ON event_log (tracking_id);
CREATE INDEX event_log_message_id ON event_log (message_id);
