-- Invitations an admin made for someone to join the workspace. As with
-- setup links, only a SHA-256 of the token is kept.
CREATE TABLE invitations (
    id TEXT PRIMARY KEY NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    -- Normalised like users.email; the account is created with it.
    email TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    invited_by_name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

CREATE INDEX invitations_by_workspace ON invitations (workspace_id);

-- Raised by every change to who belongs to a workspace and with which
-- role. Being the first write of such a transaction, it makes concurrent
-- changes wait for each other, so two admins demoting each other at the
-- same moment cannot leave the workspace without one.
ALTER TABLE workspaces ADD COLUMN membership_version BIGINT NOT NULL DEFAULT 0;
