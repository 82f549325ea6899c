-- Where each stored certificate came from (issue 12): ENROLLED (detail: the provider), HARVESTED
-- (detail: the sender and tracking id of the message whose signature carried it), IMPORTED (detail:
-- who imported it, or the configured trust anchor file), BUILT_IN (the local CA), UNKNOWN for rows
-- stored before this migration that nothing identifies. Recorded when a certificate is first stored.
ALTER TABLE certificate ADD COLUMN origin VARCHAR(16) DEFAULT 'UNKNOWN' NOT NULL;
ALTER TABLE certificate ADD COLUMN origin_detail VARCHAR(1000);
-- certificates an enrollment request delivered are known by the enrollment log
UPDATE certificate SET origin = 'ENROLLED',
    origin_detail = (SELECT 'provider ' || MAX(e.provider) FROM enrollment_request e WHERE e.certificate_id = certificate.id)
    WHERE EXISTS (SELECT 1 FROM enrollment_request e WHERE e.certificate_id = certificate.id);
