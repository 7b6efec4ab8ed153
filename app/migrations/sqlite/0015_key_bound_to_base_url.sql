-- Provider keys are now sealed bound to the base URL they are sent to.
-- Keys stored before are re-sealed by the server process that applies this
-- migration, right after it (it needs the master key, which is never
-- stored here): see model_provider::service::bind_keys_to_base_urls.
-- Nothing changes in the schema; this entry marks when that happened.
SELECT 1;
