-- Equal to SQLite's 0021_personal_data.sql; comments are there.
ALTER TABLE users ADD COLUMN suspended_at BIGINT;
ALTER TABLE users ADD COLUMN privacy_notice_seen TEXT;
ALTER TABLE workspaces ADD COLUMN former_members BIGINT NOT NULL DEFAULT 0;
