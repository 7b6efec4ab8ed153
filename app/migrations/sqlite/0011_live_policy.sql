-- The policy API answers from memory. Every change of what it answers
-- (settings, provider keys, service tokens) bumps the workspace's policy
-- version in its transaction, so replicas can tell when they are behind.
ALTER TABLE workspaces ADD COLUMN policy_version BIGINT NOT NULL DEFAULT 0;

-- A key disclosure to a trusted token is audited once per token and key;
-- the entry counts the answers it covered since.
ALTER TABLE audit_log ADD COLUMN answers BIGINT;

CREATE TABLE key_disclosures (
    token_id TEXT NOT NULL,
    key_id TEXT NOT NULL,
    audit_id BIGINT NOT NULL,
    PRIMARY KEY (token_id, key_id)
);
