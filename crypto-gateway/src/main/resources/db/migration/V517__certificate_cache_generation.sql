-- The certificate store's read caches move with a generation of their own (ADR 0212). The row is
-- there from the start so that a change made by hand in SQL can be announced with
-- UPDATE cache_generation SET generation = generation + 1 WHERE cache_name = 'certificate'.
INSERT INTO cache_generation (cache_name, generation) VALUES ('certificate', 0);
