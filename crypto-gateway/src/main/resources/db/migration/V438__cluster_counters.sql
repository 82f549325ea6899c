-- Cluster-wide counters (rate limits): one row per counter, key and fixed window. Keys are stored
-- as SHA-256 hex, never as given (a key may be a link token). Rows of past windows are deleted
-- once expired. See docs/adr/0107-cluster-wide-counters-in-the-database.md.
CREATE TABLE cluster_counter (
    counter_name VARCHAR(64)   NOT NULL,
    counter_key  VARCHAR(64)   NOT NULL,
    window_start BIGINT        NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    hits         BIGINT        NOT NULL,
    PRIMARY KEY (counter_name, counter_key, window_start)
);
CREATE INDEX cluster_counter_expires ON cluster_counter (expires_at);
