-- SQLite's 0011: policy versions for replicas, audited key disclosures
-- counted instead of repeated.
ALTER TABLE workspaces ADD COLUMN policy_version BIGINT NOT NULL DEFAULT 0;

ALTER TABLE audit_log ADD COLUMN answers BIGINT;

CREATE TABLE key_disclosures (
    token_id TEXT NOT NULL,
    key_id TEXT NOT NULL,
    audit_id BIGINT NOT NULL,
    PRIMARY KEY (token_id, key_id)
);
