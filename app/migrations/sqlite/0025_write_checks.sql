-- One row, rewritten by /readyz after a write failed on storage (a full
-- disk): when the rewrite commits, the console can write again.
CREATE TABLE write_checks (
    id INTEGER PRIMARY KEY,
    checked_at BIGINT NOT NULL
);
