-- Every timestamp is Unix seconds (BIGINT) on both databases. The first
-- two tables kept text timestamps, in each database's own format.
ALTER TABLE workspaces ADD COLUMN created_at_unix BIGINT NOT NULL DEFAULT 0;
UPDATE workspaces SET created_at_unix = COALESCE(CAST(strftime('%s', created_at) AS INTEGER), 0);
ALTER TABLE workspaces DROP COLUMN created_at;
ALTER TABLE workspaces RENAME COLUMN created_at_unix TO created_at;

ALTER TABLE workspace_ai_settings ADD COLUMN updated_at_unix BIGINT NOT NULL DEFAULT 0;
UPDATE workspace_ai_settings SET updated_at_unix = COALESCE(CAST(strftime('%s', updated_at) AS INTEGER), 0);
ALTER TABLE workspace_ai_settings DROP COLUMN updated_at;
ALTER TABLE workspace_ai_settings RENAME COLUMN updated_at_unix TO updated_at;
