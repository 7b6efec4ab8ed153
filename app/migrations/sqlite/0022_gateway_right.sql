-- may_call_models: the token may call models through the AI gateway (the
-- console holds the key and meters the call). Existing tokens may not.
ALTER TABLE service_tokens ADD COLUMN may_call_models INTEGER NOT NULL DEFAULT 0;
