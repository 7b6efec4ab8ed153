-- Every setting is scoped to a workspace so one server can host several.
CREATE TABLE workspaces (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- The admins' choices on the "AI & agents" page. No row means defaults.
CREATE TABLE workspace_ai_settings (
    workspace_id TEXT PRIMARY KEY NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    ai_enabled BOOLEAN NOT NULL,
    training_allowed BOOLEAN NOT NULL,
    updated_at TEXT NOT NULL
);
