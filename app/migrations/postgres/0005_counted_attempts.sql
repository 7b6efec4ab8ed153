-- Sign-in attempts are counted before their password is checked; one that
-- was not checked after all (the server was busy) is taken back by its id.
ALTER TABLE sign_in_failures ADD COLUMN attempt TEXT;
CREATE INDEX sign_in_failures_by_attempt ON sign_in_failures (attempt);
CREATE INDEX sign_in_failures_by_account_and_client ON sign_in_failures (account, client, at);
