-- Every timestamp is Unix seconds (BIGINT) on both databases (SQLite's
-- 0010). The first two tables kept text timestamps.
ALTER TABLE workspaces ALTER COLUMN created_at DROP DEFAULT;
ALTER TABLE workspaces ALTER COLUMN created_at TYPE BIGINT
    USING EXTRACT(EPOCH FROM created_at::TIMESTAMPTZ)::BIGINT;
ALTER TABLE workspaces ALTER COLUMN created_at SET DEFAULT 0;

ALTER TABLE workspace_ai_settings ALTER COLUMN updated_at TYPE BIGINT
    USING EXTRACT(EPOCH FROM updated_at::TIMESTAMPTZ)::BIGINT;
