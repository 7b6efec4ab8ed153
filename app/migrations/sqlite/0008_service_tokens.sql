-- Tokens with which the product's AI services read a workspace's AI
-- policy (GET /api/v1/workspaces/{id}/ai-policy). Shown once when
-- created; only a SHA-256 of each is kept.
CREATE TABLE service_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    -- Whether the policy answer may include the workspace's decrypted
    -- provider key. Every such answer is audited.
    may_receive_keys BOOLEAN NOT NULL,
    created_by_name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);

CREATE INDEX service_tokens_by_workspace ON service_tokens (workspace_id);
