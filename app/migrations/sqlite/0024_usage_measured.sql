-- Usage the gateway measured is told apart from what services reported
-- (`source`: measured or reported), cached input tokens are counted (and
-- priced at their own rate), and the tokens of models without a price are
-- summed so the page can say how much spend is not counted. Rows from
-- before this migration are reported usage with nothing cached; their
-- unpriced tokens are unknown (their unpriced event count stays).
ALTER TABLE usage_events ADD COLUMN cached_input_tokens BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_events ADD COLUMN source TEXT NOT NULL DEFAULT 'reported';

-- The day totals gain the source as part of their key, which SQLite can
-- only do by building the table anew.
CREATE TABLE usage_daily_by_source (
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
    cached_input_tokens BIGINT NOT NULL DEFAULT 0,
    unpriced_tokens BIGINT NOT NULL DEFAULT 0,
    source TEXT NOT NULL DEFAULT 'reported',
    PRIMARY KEY (workspace_id, day, feature, model, paid_by, source)
);
INSERT INTO usage_daily_by_source (workspace_id, day, feature, model, paid_by, events,
    input_tokens, output_tokens, cost_micros, estimated_events, unpriced_events)
SELECT workspace_id, day, feature, model, paid_by, events, input_tokens, output_tokens,
    cost_micros, estimated_events, unpriced_events
FROM usage_daily;
DROP TABLE usage_daily;
ALTER TABLE usage_daily_by_source RENAME TO usage_daily;
