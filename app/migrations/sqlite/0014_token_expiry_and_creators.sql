-- Service tokens may expire; tokens and invitations remember the account
-- that made them, so that they end when that admin leaves or is demoted
-- (unless another admin took the token over). Rows made before this have
-- no recorded maker and stay until revoked by hand.
ALTER TABLE service_tokens ADD COLUMN expires_at BIGINT;
ALTER TABLE service_tokens ADD COLUMN created_by_id TEXT;
ALTER TABLE invitations ADD COLUMN invited_by_id TEXT;
CREATE INDEX service_tokens_by_creator ON service_tokens (created_by_id);
CREATE INDEX invitations_by_inviter ON invitations (invited_by_id);
