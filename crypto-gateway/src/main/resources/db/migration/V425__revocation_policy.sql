-- What inbound verification does when the revocation status of a certificate of a signer's chain
-- cannot be determined: SOFT_FAIL (stamp revocation-unknown, the signature still counts for the
-- inbound requirement) or HARD_FAIL (the signature counts as not valid). One row per scope
-- ('global', a partner domain, or an address); a scope without a row inherits from the wider one,
-- 'global' from sealgate.revocation.on-unknown. See docs/adr/0096-revocation-soft-fail-by-default.md.
CREATE TABLE revocation_policy (
    scope      VARCHAR(320) PRIMARY KEY,
    on_unknown VARCHAR(16)  NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
