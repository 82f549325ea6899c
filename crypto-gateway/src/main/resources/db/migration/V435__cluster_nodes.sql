-- Node liveness: every node writes its heartbeat here; the queue claims of a node whose heartbeat
-- is older than sealgate.cluster.takeover-after are taken over by the others at once, without
-- waiting for the claim's lease. See docs/adr/0106-node-heartbeats-and-queue-takeover.md.
CREATE TABLE cluster_node (
    node_id      VARCHAR(200)  PRIMARY KEY,
    started_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The node that holds a claim (claimed_by is node:uuid, a token per claiming round).
ALTER TABLE mail_recipient ADD COLUMN claimed_node VARCHAR(200);
CREATE INDEX mail_recipient_claimed_node ON mail_recipient (claimed_node);
