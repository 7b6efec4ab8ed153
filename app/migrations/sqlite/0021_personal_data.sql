-- A person's rights over their own data.
-- suspended_at: an admin suspended the account (restricted processing):
-- nobody signs in with it until it is restored; nothing is deleted.
ALTER TABLE users ADD COLUMN suspended_at INTEGER;
-- privacy_notice_seen: the version (date) of the privacy notice the person
-- last dismissed the "notice changed" banner for.
ALTER TABLE users ADD COLUMN privacy_notice_seen TEXT;
-- former_members: how many people were deleted from the workspace; the
-- next one's entries in the audit log read "Former member <n + 1>".
ALTER TABLE workspaces ADD COLUMN former_members INTEGER NOT NULL DEFAULT 0;
