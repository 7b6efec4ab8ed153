-- Sessions carry the generation they were signed in under; changing the
-- password moves the user to the next generation, which ends every older
-- session at once.
ALTER TABLE users ADD COLUMN session_generation BIGINT NOT NULL DEFAULT 0;
