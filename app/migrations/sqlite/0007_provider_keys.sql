-- Workspaces' own model-provider keys, sealed with AES-256-GCM under a
-- master key that is never stored here (see app/src/providers/cipher.rs).
-- The current key has replaced_at NULL; a replaced key stays usable until
-- usable_until (the grace period for running jobs), then its row is
-- deleted.
CREATE TABLE provider_keys (
    id TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    provider TEXT NOT NULL CHECK (provider IN ('openai', 'anthropic', 'openai_compatible')),
    base_url TEXT,
    master_key_id TEXT NOT NULL,
    nonce BLOB NOT NULL,
    ciphertext BLOB NOT NULL,
    last4 TEXT NOT NULL,
    added_by_name TEXT NOT NULL,
    added_at BIGINT NOT NULL,
    verified_at BIGINT NOT NULL,
    replaced_at BIGINT,
    usable_until BIGINT
);

CREATE UNIQUE INDEX provider_keys_one_current ON provider_keys (workspace_id)
    WHERE replaced_at IS NULL;
CREATE INDEX provider_keys_by_expiry ON provider_keys (usable_until);
