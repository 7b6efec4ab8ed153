-- One row per workspace setting that was ever changed: its version (the
-- number of changes) and who made the latest change. A save states the
-- version it was based on and is refused if another change came first.
CREATE TABLE setting_versions (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    setting TEXT NOT NULL,
    version BIGINT NOT NULL,
    changed_by_name TEXT,
    changed_at BIGINT,
    PRIMARY KEY (workspace_id, setting)
);

-- Every change, written in the same transaction as the change itself.
-- Values are display text; secrets never appear here (a key is "…last4").
CREATE TABLE audit_log (
    -- Increasing, so entries of the same second keep their order.
    id INTEGER PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    actor_id TEXT,
    actor_name TEXT NOT NULL,
    subject TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT
);

CREATE INDEX audit_log_by_workspace ON audit_log (workspace_id, at DESC, id DESC);
