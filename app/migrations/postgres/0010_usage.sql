-- What the product's AI services report they used. Each event once (the
-- service's own id makes a resent batch harmless); kept raw for the
-- configured retention, and added to per-day totals as it arrives, which
-- is what the Usage section reads. Money is in millionths of the
-- deployment's currency; cost_micros is NULL for a model without a price.
CREATE TABLE usage_events (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    event_id TEXT NOT NULL,
    at BIGINT NOT NULL,
    feature TEXT NOT NULL,
    model TEXT NOT NULL,
    input_tokens BIGINT NOT NULL,
    output_tokens BIGINT NOT NULL,
    cost_micros BIGINT,
    cost_estimated BOOLEAN NOT NULL,
    paid_by TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, event_id)
);
CREATE INDEX usage_events_by_time ON usage_events (at);

-- `day` is the calendar day (YYYY-MM-DD) in the deployment's usage time zone.
CREATE TABLE usage_daily (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    feature TEXT NOT NULL,
    model TEXT NOT NULL,
    paid_by TEXT NOT NULL,
    events BIGINT NOT NULL,
    input_tokens BIGINT NOT NULL,
    output_tokens BIGINT NOT NULL,
    cost_micros BIGINT NOT NULL,
    estimated_events BIGINT NOT NULL,
    unpriced_events BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, day, feature, model, paid_by)
);
