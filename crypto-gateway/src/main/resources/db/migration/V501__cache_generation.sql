-- Cache generations for cross-node invalidation (ADR 0191): a node that changes what another node
-- may hold in a cache bumps the cache's generation in the same transaction as the change; every
-- node reads the generations at most every sealgate.cache.check-interval and drops a cache whose
-- generation moved. One row per cache; a missing row counts as generation 0.
CREATE TABLE cache_generation (
    cache_name VARCHAR(64) NOT NULL PRIMARY KEY,
    generation BIGINT      NOT NULL
);
INSERT INTO cache_generation (cache_name, generation) VALUES ('policy', 0);
