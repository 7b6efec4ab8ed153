-- Equal to SQLite's 0024_usage_measured.sql; comments are there.
ALTER TABLE usage_events ADD COLUMN cached_input_tokens BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_events ADD COLUMN source TEXT NOT NULL DEFAULT 'reported';
ALTER TABLE usage_daily ADD COLUMN cached_input_tokens BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_daily ADD COLUMN unpriced_tokens BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_daily ADD COLUMN source TEXT NOT NULL DEFAULT 'reported';
ALTER TABLE usage_daily DROP CONSTRAINT usage_daily_pkey;
ALTER TABLE usage_daily ADD PRIMARY KEY (workspace_id, day, feature, model, paid_by, source);
