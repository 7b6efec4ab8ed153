-- People who sign in through the organisation's identity provider (OpenID
-- Connect): the provider's issuer and its subject (its stable id for the
-- person) name the account, never the e-mail alone.
CREATE TABLE external_identities (
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    linked_at BIGINT NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX external_identities_by_user ON external_identities (user_id);
