-- gateway_feature: the feature a gateway token's calls are for, fixed when
-- it is made (a feature key such as `assistant`); NULL: the service says
-- with each call (X-AI-Feature).
ALTER TABLE service_tokens ADD COLUMN gateway_feature TEXT;
