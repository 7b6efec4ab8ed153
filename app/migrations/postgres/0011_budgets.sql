-- A workspace's monthly AI budget, in millionths of the deployment's
-- currency (no row: no budget). `warned_month` and `exhausted_month`
-- (YYYY-MM in the usage time zone) record that the warning threshold and
-- the whole budget were reached that month: each crossing is acted on once
-- (audit entry, notification, and with `at_limit = 'stop_ai'` the policy
-- turns AI off) by whichever transaction sets the flag.
CREATE TABLE budgets (
    workspace_id TEXT PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
    amount_micros BIGINT NOT NULL,
    warn_percent INTEGER NOT NULL,
    at_limit TEXT NOT NULL,
    warned_month TEXT,
    exhausted_month TEXT
);

-- Notifications for the operator's webhook, written in the transaction
-- that crossed a line and delivered afterwards by any replica (an outbox:
-- a crossing is never lost to a crash, and a slow receiver never holds up
-- usage reports).
CREATE TABLE budget_notifications (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_until BIGINT,
    delivered_at BIGINT,
    gave_up_at BIGINT,
    last_error TEXT
);
CREATE INDEX budget_notifications_due ON budget_notifications (next_attempt_at)
    WHERE delivered_at IS NULL AND gave_up_at IS NULL;
