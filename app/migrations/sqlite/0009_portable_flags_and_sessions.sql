-- The switches become plain integer columns (0 or 1). The database layer
-- reads SQLite and PostgreSQL through one driver, which rejects columns
-- declared BOOLEAN on SQLite; the values stay what they were.
ALTER TABLE workspace_ai_settings ADD COLUMN ai_enabled_flag INTEGER NOT NULL DEFAULT 0;
ALTER TABLE workspace_ai_settings ADD COLUMN training_allowed_flag INTEGER NOT NULL DEFAULT 0;
UPDATE workspace_ai_settings
   SET ai_enabled_flag = ai_enabled, training_allowed_flag = training_allowed;
ALTER TABLE workspace_ai_settings DROP COLUMN ai_enabled;
ALTER TABLE workspace_ai_settings DROP COLUMN training_allowed;
ALTER TABLE workspace_ai_settings RENAME COLUMN ai_enabled_flag TO ai_enabled;
ALTER TABLE workspace_ai_settings RENAME COLUMN training_allowed_flag TO training_allowed;

ALTER TABLE service_tokens ADD COLUMN may_receive_keys_flag INTEGER NOT NULL DEFAULT 0;
UPDATE service_tokens SET may_receive_keys_flag = may_receive_keys;
ALTER TABLE service_tokens DROP COLUMN may_receive_keys;
ALTER TABLE service_tokens RENAME COLUMN may_receive_keys_flag TO may_receive_keys;

-- Signed-in sessions, now kept by the console itself (the same table on
-- both databases) so that every replica sees every session. Sessions of
-- the previous store end: people sign in once more after the upgrade.
DROP TABLE IF EXISTS tower_sessions;
CREATE TABLE sessions (
    id TEXT PRIMARY KEY NOT NULL,
    -- JSON of the session record.
    data TEXT NOT NULL,
    -- Unix seconds; expired rows are ignored and deleted now and then.
    expires_at BIGINT NOT NULL
);

CREATE INDEX sessions_by_expiry ON sessions (expires_at);
