-- Failed sign-ins of the last hour, for throttling guessers. `account` is
-- the normalised e-mail as typed (it need not exist); `client` the address.
CREATE TABLE sign_in_failures (
    account TEXT NOT NULL,
    client TEXT NOT NULL,
    at BIGINT NOT NULL
);

CREATE INDEX sign_in_failures_by_account ON sign_in_failures (account, at);
CREATE INDEX sign_in_failures_by_client ON sign_in_failures (client, at);
