-- The whole schema for PostgreSQL, equal in behaviour to SQLite's
-- migrations 0001 to 0009 (app/migrations/sqlite); later changes add a file
-- to both folders. Comments on what each table is for are with SQLite's.

CREATE TABLE workspaces (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (CURRENT_TIMESTAMP::TEXT),
    membership_version BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE workspace_ai_settings (
    workspace_id TEXT PRIMARY KEY NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    ai_enabled BOOLEAN NOT NULL,
    training_allowed BOOLEAN NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    created_at BIGINT NOT NULL,
    session_generation BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX users_by_workspace ON users (workspace_id);

CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

CREATE TABLE sign_in_failures (
    account TEXT NOT NULL,
    client TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_by_account ON sign_in_failures (account, at);
CREATE INDEX sign_in_failures_by_client ON sign_in_failures (client, at);

CREATE TABLE setting_versions (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    setting TEXT NOT NULL,
    version BIGINT NOT NULL,
    changed_by_name TEXT,
    changed_at BIGINT,
    PRIMARY KEY (workspace_id, setting)
);

CREATE TABLE audit_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    actor_id TEXT,
    actor_name TEXT NOT NULL,
    subject TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT
);
CREATE INDEX audit_log_by_workspace ON audit_log (workspace_id, at DESC, id DESC);

CREATE TABLE invitations (
    id TEXT PRIMARY KEY NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    invited_by_name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX invitations_by_workspace ON invitations (workspace_id);

CREATE TABLE provider_keys (
    id TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    provider TEXT NOT NULL CHECK (provider IN ('openai', 'anthropic', 'openai_compatible')),
    base_url TEXT,
    master_key_id TEXT NOT NULL,
    nonce BYTEA NOT NULL,
    ciphertext BYTEA NOT NULL,
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

CREATE TABLE service_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    may_receive_keys BOOLEAN NOT NULL,
    created_by_name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX service_tokens_by_workspace ON service_tokens (workspace_id);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY NOT NULL,
    data TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
