-- SQLite's 0012: sessions stored under a SHA-256 of their id; the old rows
-- go (everyone signs in once more).
DELETE FROM sessions;
