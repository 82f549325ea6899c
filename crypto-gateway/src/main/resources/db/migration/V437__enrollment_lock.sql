-- One request at a time per address across all nodes: a request holds its address here from the
-- moment it is recorded until it was sent (or until held_until, should its node die meanwhile).
-- Inserted in the same transaction as the request row. See docs/adr/0108-enrollment-lock.md.
CREATE TABLE enrollment_lock (
    address     VARCHAR(320)  PRIMARY KEY,
    request_id  VARCHAR(36)   NOT NULL,
    held_until  TIMESTAMP WITH TIME ZONE NOT NULL
);
