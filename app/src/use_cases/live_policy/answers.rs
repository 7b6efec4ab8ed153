//! What the policy API answers for a token: the token looked up, the
//! policy document built from the workspace's inputs (keys opened only for
//! tokens that may receive them) and one feature's decision.

use super::write_behind::record_disclosure;
use super::{read_inputs, unavailable, LivePolicy, PolicyInputs, PolicyRead};
use crate::accounts::tokens;
use crate::api_access::policy_document::{
    AiOff, FeatureDecision, FeaturesPolicy, ModelsPolicy, PolicyDocument, ProviderPolicy,
    RetiringKeyPolicy,
};
use crate::api_access::rules::is_expired;
use crate::api_access::service::{self as store, TokenRecord};
use crate::api_access::service::{PolicyError, TokenProblem};
use crate::domain::Role;
use crate::model_provider::rules::Processing;
use crate::model_provider::{service as model_provider, KeyRecord};
use crate::state::AppState;
use secrecy::SecretString;
use std::sync::Arc;

impl LivePolicy {
    /// The token `token` and its workspace's inputs, from memory when it
    /// is current, else from the database.
    async fn lookup(
        &self,
        state: &AppState,
        token: &str,
        workspace_id: &str,
    ) -> Result<(TokenRecord, Arc<PolicyInputs>), PolicyError> {
        let digest = tokens::digest(token);
        if self.is_current() {
            let known = self.read_known();
            // A token unknown here may be one another replica made a
            // moment ago: the database decides (below).
            if let Some(record) = known.tokens.get(&digest) {
                // A token of another workspace learns nothing, not even
                // that this id exists.
                if record.workspace.as_str() != workspace_id {
                    return Err(PolicyError::NotFound);
                }
                if let Some(inputs) = known.workspaces.get(workspace_id) {
                    return Ok((record.clone(), inputs.clone()));
                }
            }
        }
        let record =
            not_live_unless(state, &digest, store::by_hash(&state.pool, &digest).await).await?;
        if record.workspace.as_str() != workspace_id {
            return Err(PolicyError::NotFound);
        }
        let inputs = read_inputs(state, &record.workspace)
            .await
            .map_err(unavailable("reading a workspace's policy"))?;
        Ok((record, Arc::new(inputs)))
    }

    /// The policy of `workspace_id` as the holder of `token` may see it.
    /// The decrypted keys, for trusted tokens only, live as long as the
    /// answer.
    pub async fn answer(
        &self,
        state: &AppState,
        token: &str,
        workspace_id: &str,
    ) -> Result<PolicyRead, PolicyError> {
        let (record, inputs) = self.lookup(state, token, workspace_id).await?;
        // An expired token is refused like a revoked one (it stays listed
        // on the page, marked expired, so admins see why).
        if is_expired(record.expires_at, state.clock.now()) {
            return Err(PolicyError::Unauthorized(TokenProblem::Expired));
        }
        let document = document(state, &record, &inputs)?;
        self.note_use(state, &record, &inputs, &document).await?;
        Ok(PolicyRead {
            document,
            token: record,
        })
    }

    /// The live, unexpired token `token` of `workspace_id` and the policy
    /// inputs in force, for a request that needs no key (asking about a
    /// feature, reporting usage). Notes the token's use.
    pub async fn authenticate(
        &self,
        state: &AppState,
        token: &str,
        workspace_id: &str,
    ) -> Result<(TokenRecord, Arc<PolicyInputs>), PolicyError> {
        let (record, inputs) = self.lookup(state, token, workspace_id).await?;
        if is_expired(record.expires_at, state.clock.now()) {
            return Err(PolicyError::Unauthorized(TokenProblem::Expired));
        }
        self.usage_lock()
            .last_used
            .insert(record.id.clone(), state.clock.now());
        Ok((record, inputs))
    }

    /// The live, unexpired token `token` of whichever workspace it
    /// belongs to, with that workspace's inputs in force: for the AI
    /// gateway, whose callers name no workspace. Notes the token's use.
    pub async fn authenticate_any(
        &self,
        state: &AppState,
        token: &str,
    ) -> Result<(TokenRecord, Arc<PolicyInputs>), PolicyError> {
        let workspace = self.workspace_of(state, token).await?;
        self.authenticate(state, token, &workspace).await
    }

    /// The workspace of the live token `token`.
    async fn workspace_of(&self, state: &AppState, token: &str) -> Result<String, PolicyError> {
        if token.is_empty() {
            return Err(PolicyError::Unauthorized(TokenProblem::Missing));
        }
        let digest = tokens::digest(token);
        if self.is_current() {
            if let Some(record) = self.read_known().tokens.get(&digest) {
                return Ok(record.workspace.as_str().to_string());
            }
        }
        let record =
            not_live_unless(state, &digest, store::by_hash(&state.pool, &digest).await).await?;
        Ok(record.workspace.as_str().to_string())
    }

    /// The models the token's workspace allows now, and whether the token
    /// may call them through the gateway.
    pub async fn gateway_models(
        &self,
        state: &AppState,
        token: &str,
    ) -> Result<(bool, Vec<String>), PolicyError> {
        let (record, inputs) = self.authenticate_any(state, token).await?;
        let models = &inputs.models;
        Ok((
            record.may_call_models,
            models.choice.in_effect(&models.offered),
        ))
    }

    /// Whether `feature` may run for someone with `role`, as the holder of
    /// `token` may ask (`None` for a feature the policy does not have),
    /// and when the token expires. No key is opened for this answer, so
    /// none is counted as disclosed.
    pub async fn decide(
        &self,
        state: &AppState,
        token: &str,
        workspace_id: &str,
        feature: &str,
        role: Role,
    ) -> Result<(Option<FeatureDecision>, Option<i64>), PolicyError> {
        let (record, inputs) = self.authenticate(state, token, workspace_id).await?;
        let ai_off = inputs.ai_off(state.clock.now());
        let features = FeaturesPolicy::of(ai_off.is_none(), &inputs.features);
        Ok((
            features.decide(ai_off, workspace_id, feature, role),
            record.expires_at,
        ))
    }

    /// Keeps the token's last use, and audits the first answer that hands
    /// this token this key (later ones are counted, not repeated).
    async fn note_use(
        &self,
        state: &AppState,
        token: &TokenRecord,
        inputs: &PolicyInputs,
        document: &PolicyDocument,
    ) -> Result<(), PolicyError> {
        let now = state.clock.now();
        let disclosed: Vec<&KeyRecord> = [inputs.current.as_ref(), inputs.retiring.as_ref()]
            .into_iter()
            .flatten()
            .filter(|_| document.provider.key.is_some())
            .collect();
        let mut first_time = Vec::new();
        {
            let mut usage = self.usage_lock();
            usage.last_used.insert(token.id.clone(), now);
            for key in &disclosed {
                match usage.disclosed.get_mut(&(token.id.clone(), key.id.clone())) {
                    Some(answers) => *answers += 1,
                    None => first_time.push(*key),
                }
            }
        }
        for key in first_time {
            record_disclosure(state, token, key, now).await?;
            let mut usage = self.usage_lock();
            *usage
                .disclosed
                .entry((token.id.clone(), key.id.clone()))
                .or_default() += 0;
        }
        Ok(())
    }
}

/// The live token `found` for `digest`, or why there is none: revoked,
/// or never made.
async fn not_live_unless(
    state: &AppState,
    digest: &str,
    found: Result<Option<TokenRecord>, sqlx::Error>,
) -> Result<TokenRecord, PolicyError> {
    if let Some(record) = found.map_err(unavailable("looking up a service token"))? {
        return Ok(record);
    }
    let revoked = store::was_revoked(&state.pool, digest)
        .await
        .map_err(unavailable("looking up a service token"))?;
    Err(PolicyError::Unauthorized(if revoked {
        TokenProblem::Revoked
    } else {
        TokenProblem::Unknown
    }))
}

/// The answer for `token` from `inputs`.
fn document(
    state: &AppState,
    token: &TokenRecord,
    inputs: &PolicyInputs,
) -> Result<PolicyDocument, PolicyError> {
    let config = &state.deployment.providers;
    let now = state.clock.now();
    let ai_off = inputs.ai_off(now);
    let open = |record: &KeyRecord| -> Result<SecretString, PolicyError> {
        model_provider::open_key(state, record).map_err(|error| {
            tracing::error!(%error, workspace = record.workspace.as_str(), "opening a provider key failed");
            PolicyError::Unavailable
        })
    };
    // An admin who switches AI off in an incident (or a budget that
    // stopped it) expects keys to stop flowing: none, current or retiring,
    // until AI is back.
    let trusted = token.may_receive_keys && ai_off.is_none();
    let key = match &inputs.current {
        Some(record) if trusted => Some(open(record)?),
        _ => None,
    };
    let retiring = match &inputs.retiring {
        Some(record) if trusted && record.usable_until.is_some_and(|until| until > now) => {
            Some(RetiringKeyPolicy {
                key: open(record)?,
                key_last4: record.last4.clone(),
                usable_until: record.usable_until.unwrap_or_default(),
            })
        }
        _ => None,
    };
    Ok(PolicyDocument {
        workspace_id: token.workspace.as_str().to_string(),
        ai_enabled: ai_off.is_none(),
        ai_off_reason: ai_off.map(AiOff::code),
        ai_off_until: ai_off.and_then(AiOff::until),
        training_allowed: inputs.settings.training_in_effect(state.deployment.plan),
        provider: ProviderPolicy {
            kind: inputs
                .current
                .as_ref()
                .map(|key| key.provider.key())
                .unwrap_or("managed"),
            endpoint: inputs.route.base_url.clone(),
            region: config.region.config_name(),
            processed_in: match inputs.route.processing {
                Processing::InRegion(region) => Some(region.config_name()),
                Processing::LeavesRegion { to, .. } => Some(to.config_name()),
                Processing::Unknown => None,
            },
            key_last4: inputs.current.as_ref().map(|key| key.last4.clone()),
            key,
            retiring_key: retiring,
        },
        features: FeaturesPolicy::of(ai_off.is_none(), &inputs.features),
        models: ModelsPolicy {
            all_allowed: inputs.models.choice.all,
            allowed: inputs.models.choice.in_effect(&inputs.models.offered),
            default: inputs.models.choice.default.clone(),
        },
    })
}
