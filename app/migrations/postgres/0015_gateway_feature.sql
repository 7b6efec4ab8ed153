-- Equal to SQLite's 0023_gateway_feature.sql; comments are there.
ALTER TABLE service_tokens ADD COLUMN gateway_feature TEXT;
