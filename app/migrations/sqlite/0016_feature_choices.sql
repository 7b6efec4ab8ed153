-- Per-feature choices of a workspace: who may use each AI feature
-- (`choice` = the feature's key, `value` = everyone | admins | no-one) and
-- what agents may do (`choice` = agents.actions, `value` = propose |
-- apply). No row means the feature's default. Versions live in
-- setting_versions under `feature.<choice>`.
CREATE TABLE feature_choices (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    choice TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (workspace_id, choice)
);
