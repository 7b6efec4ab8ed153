-- Sessions are now stored under a SHA-256 of their id, without the id in
-- their data. Rows stored the old way would never be found again: delete
-- them (everyone signs in once more).
DELETE FROM sessions;
