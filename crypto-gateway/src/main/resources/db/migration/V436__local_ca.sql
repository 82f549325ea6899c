-- The local CA of the cluster: one row (id = 1), its keys AES-GCM under the master key; the
-- certificates it issued; its revocations. Every node issues from and publishes this CA; the CRL
-- is published here compare-and-set on crl_number. See docs/adr/0105-local-ca-in-the-database.md.
CREATE TABLE local_ca (
    id               INTEGER       PRIMARY KEY CHECK (id = 1),
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    root_der         BYTEA         NOT NULL,
    root_key         BYTEA         NOT NULL,
    issuing_der      BYTEA         NOT NULL,
    issuing_key      BYTEA         NOT NULL,
    crl_number       BIGINT        NOT NULL,
    crl_der          BYTEA
);

CREATE TABLE local_ca_issued (
    serial     VARCHAR(64)   PRIMARY KEY,
    address    VARCHAR(320)  NOT NULL,
    issued_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    der        BYTEA         NOT NULL
);

CREATE TABLE local_ca_revoked (
    serial     VARCHAR(64)   PRIMARY KEY,
    revoked_at TIMESTAMP WITH TIME ZONE NOT NULL,
    reason     INTEGER       NOT NULL
);
