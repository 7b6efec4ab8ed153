-- Equal to SQLite's 0022_gateway_right.sql; comments are there.
ALTER TABLE service_tokens ADD COLUMN may_call_models BOOLEAN NOT NULL DEFAULT FALSE;
