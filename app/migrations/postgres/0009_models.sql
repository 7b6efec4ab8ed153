-- Which models a workspace's services may use. `offered_models` is the list
-- the provider of the workspace's own key returned when it was last
-- verified or refreshed (the managed provider's list comes from the
-- deployment's configuration instead). `model_choices` holds whether every
-- offered model is allowed and the default; with allow_all = 0 the allowed
-- ones are in `allowed_models` (which may name models the provider no
-- longer offers: the page flags them). No row: all allowed, no default.
CREATE TABLE offered_models (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    PRIMARY KEY (workspace_id, model)
);

CREATE TABLE model_choices (
    workspace_id TEXT PRIMARY KEY NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    allow_all BOOLEAN NOT NULL,
    default_model TEXT
);

CREATE TABLE allowed_models (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    PRIMARY KEY (workspace_id, model)
);
