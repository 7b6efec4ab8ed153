//! The policy API's answers, from memory. Each process keeps what every
//! workspace's answer is made of (the settings that apply, the provider key
//! and a retiring one, still sealed) and the live service tokens by digest,
//! and answers without touching the database.
//!
//! It is never stale: every change reloads the changed workspace in the
//! process that made it, right after its commit (so the admin who clicked
//! reads their own change), and other replicas hear of it through
//! PostgreSQL's `LISTEN`/`NOTIFY` (see [`follow_postgres`]) or, as a safety
//! net, by comparing policy versions every few seconds. While this process
//! may have missed a change (the notification connection is down, a reload
//! failed) it answers from the database instead.
//!
//! Reads write nothing: a token's last use is kept here and written at most
//! once a minute ([`LivePolicy::flush`]); a key disclosure is audited once
//! per token and key, and the entry counts the answers it covered.

use super::policy_document::{
    AiOff, FeatureDecision, FeaturesPolicy, ModelsPolicy, PolicyDocument, ProviderPolicy,
    RetiringKeyPolicy,
};
use super::rules::is_expired;
use super::service::PolicyError;
use super::store::{self, TokenRecord};
use crate::accounts::tokens;
use crate::activity::log as audit;
use crate::ai_settings::{service as ai_settings, AiSettings};
use crate::budget::service as budget;
use crate::domain::Role;
use crate::domain::WorkspaceId;
use crate::features::{rules::FeatureChoices, service as features};
use crate::model_provider::rules::{Processing, Route};
use crate::model_provider::{service as model_provider, KeyRecord};
use crate::models::service::{self as models, ModelsInputs};
use crate::state::AppState;
use secrecy::SecretString;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use tokio::sync::watch;

/// What one workspace's answers are made of.
#[derive(Debug, Clone)]
pub struct PolicyInputs {
    /// The settings that apply (the operator's fixed values over the
    /// admins' choices).
    pub settings: AiSettings,
    /// Who may use each feature (fixed values applied).
    pub features: FeatureChoices,
    /// The models on offer and the choice over them.
    pub models: ModelsInputs,
    /// The workspace's own key, sealed; `None` for the managed provider.
    pub current: Option<KeyRecord>,
    /// Where requests go.
    pub route: Route,
    /// A replaced key still in its grace period, sealed.
    pub retiring: Option<KeyRecord>,
    /// Until when (Unix seconds) the budget keeps AI off, if it does.
    pub budget_stop: Option<i64>,
    /// The workspace's policy version when these were read.
    pub version: i64,
}

impl PolicyInputs {
    /// Why AI is off at `now`, if it is. The admins' switch comes first:
    /// raising the budget would not bring AI back then.
    pub fn ai_off(&self, now: i64) -> Option<AiOff> {
        if !self.settings.ai_enabled {
            return Some(AiOff::SwitchedOff);
        }
        self.budget_stop
            .filter(|until| now < *until)
            .map(|until| AiOff::BudgetExhausted { until })
    }
}

#[derive(Debug, Default)]
struct Known {
    workspaces: HashMap<String, Arc<PolicyInputs>>,
    /// Live tokens by the digest of the token.
    tokens: HashMap<String, TokenRecord>,
}

/// Answers not yet written down: last uses and disclosures.
#[derive(Debug, Default)]
struct Usage {
    /// Token id → its latest use (Unix seconds).
    last_used: HashMap<String, i64>,
    /// (token id, key id) → answers carrying that key not yet counted in
    /// the disclosure's audit entry. Present once the entry exists.
    disclosed: HashMap<(String, String), i64>,
}

/// One answer's makings: the token that asked and its workspace's inputs.
#[derive(Debug)]
pub struct PolicyRead {
    pub document: PolicyDocument,
    pub token: TokenRecord,
}

/// The policy of every workspace, kept current in memory.
#[derive(Debug)]
pub struct LivePolicy {
    known: RwLock<Known>,
    /// Whether `known` is certainly current. False until the first load,
    /// and whenever a change may have been missed.
    current: AtomicBool,
    /// Moves on at every reload, so streams know to look again.
    changes: watch::Sender<u64>,
    usage: Mutex<Usage>,
}

impl Default for LivePolicy {
    fn default() -> Self {
        LivePolicy {
            known: RwLock::default(),
            current: AtomicBool::new(false),
            changes: watch::channel(0).0,
            usage: Mutex::default(),
        }
    }
}

fn unavailable(what: &'static str) -> impl FnOnce(sqlx::Error) -> PolicyError {
    move |error| {
        tracing::error!(%error, "{what} failed");
        PolicyError::Unavailable
    }
}

/// Reads one workspace's inputs from the database.
async fn read_inputs(
    state: &AppState,
    workspace: &WorkspaceId,
) -> Result<PolicyInputs, sqlx::Error> {
    let version = crate::db::workspaces::policy_version(&state.pool, workspace).await?;
    let settings = ai_settings::applied(state, workspace).await?;
    let features = features::applied(state, workspace).await?;
    let models = models::applied(state, workspace).await?;
    let (current, route) = model_provider::serving(state, workspace).await?;
    let retiring = model_provider::retiring(state, workspace).await?;
    let budget_stop = budget::stop_in_force(state, workspace).await?;
    Ok(PolicyInputs {
        budget_stop,
        settings,
        features,
        models,
        current,
        route,
        retiring,
        version,
    })
}

/// The write path tells the live policy of every committed change.
impl crate::state::PolicyHook for LivePolicy {
    fn changed<'a>(
        &'a self,
        state: &'a AppState,
        workspace: &'a WorkspaceId,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + 'a>> {
        Box::pin(self.reload(state, workspace))
    }
}

impl LivePolicy {
    /// Reads every workspace and live token. Answers come from memory once
    /// the caller, sure that no change can be missed from here on, marks
    /// them current.
    pub async fn load_all(&self, state: &AppState) -> Result<(), sqlx::Error> {
        let mut known = Known::default();
        for (id, _) in crate::db::workspaces::policy_versions(&state.pool).await? {
            let workspace = WorkspaceId::new(id.clone());
            known
                .workspaces
                .insert(id, Arc::new(read_inputs(state, &workspace).await?));
        }
        for token in store::all_live(&state.pool).await? {
            known.tokens.insert(token.token_hash.clone(), token.record);
        }
        self.replace(|current| {
            // A workspace reloaded meanwhile, after a change, is newer than
            // what this slower read found: keep it, with its tokens.
            let newer: Vec<String> = current
                .workspaces
                .iter()
                .filter(|(id, inputs)| {
                    known
                        .workspaces
                        .get(*id)
                        .is_some_and(|read| read.version < inputs.version)
                })
                .map(|(id, _)| id.clone())
                .collect();
            for id in &newer {
                if let Some(inputs) = current.workspaces.get(id) {
                    known.workspaces.insert(id.clone(), inputs.clone());
                }
                known
                    .tokens
                    .retain(|_, token| token.workspace.as_str() != id);
                for (digest, token) in &current.tokens {
                    if token.workspace.as_str() == id {
                        known.tokens.insert(digest.clone(), token.clone());
                    }
                }
            }
            *current = std::mem::take(&mut known);
        });
        Ok(())
    }

    /// Reads `workspace` afresh after a change. If that fails, answers
    /// come from the database until a later reload works: never stale.
    pub async fn reload(&self, state: &AppState, workspace: &WorkspaceId) {
        match self.read_workspace(state, workspace).await {
            Ok(()) => {}
            Err(error) => {
                tracing::error!(%error, "reloading a workspace's policy failed; reading it from the database meanwhile");
                self.current.store(false, Ordering::Release);
            }
        }
    }

    async fn read_workspace(
        &self,
        state: &AppState,
        workspace: &WorkspaceId,
    ) -> Result<(), sqlx::Error> {
        let inputs = read_inputs(state, workspace).await?;
        let tokens = store::live_of(&state.pool, workspace).await?;
        self.replace(|known| {
            // A slower read of an older version never undoes a newer one.
            let newer = known
                .workspaces
                .get(workspace.as_str())
                .is_some_and(|known| known.version > inputs.version);
            if newer {
                return;
            }
            known
                .workspaces
                .insert(workspace.as_str().to_string(), Arc::new(inputs));
            known
                .tokens
                .retain(|_, token| token.workspace != *workspace);
            for token in tokens {
                known.tokens.insert(token.token_hash, token.record);
            }
        });
        Ok(())
    }

    fn replace(&self, change: impl FnOnce(&mut Known)) {
        match self.known.write() {
            Ok(mut known) => change(&mut known),
            Err(poisoned) => change(&mut poisoned.into_inner()),
        }
        self.changes.send_modify(|generation| *generation += 1);
    }

    /// Compares every workspace's policy version with what is in memory and
    /// reloads the ones that moved (and those whose budget stop has just
    /// ended): the safety net behind notifications, and how a process
    /// catches up after missing some.
    pub async fn reconcile(&self, state: &AppState) -> Result<usize, sqlx::Error> {
        let versions = crate::db::workspaces::policy_versions(&state.pool).await?;
        let now = state.clock.now();
        let behind: Vec<WorkspaceId> = {
            let known = self.read_known();
            versions
                .into_iter()
                .filter(|(id, version)| {
                    // A budget's stop that ended with its month changes
                    // the answer without a change: reloading it tells the
                    // streams.
                    known.workspaces.get(id).is_none_or(|inputs| {
                        inputs.version != *version
                            || inputs.budget_stop.is_some_and(|until| now >= until)
                    })
                })
                .map(|(id, _)| WorkspaceId::new(id))
                .collect()
        };
        for workspace in &behind {
            self.read_workspace(state, workspace).await?;
        }
        Ok(behind.len())
    }

    /// Answers may come from memory again (after a full load).
    pub fn mark_current(&self, current: bool) {
        self.current.store(current, Ordering::Release);
    }

    /// Whether answers come from memory now.
    pub fn is_current(&self) -> bool {
        self.current.load(Ordering::Acquire)
    }

    /// Notified at every reload: streams look again then.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.changes.subscribe()
    }

    fn read_known(&self) -> std::sync::RwLockReadGuard<'_, Known> {
        match self.known.read() {
            Ok(known) => known,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

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
        let record = store::by_hash(&state.pool, &digest)
            .await
            .map_err(unavailable("looking up a service token"))?
            .ok_or(PolicyError::Unauthorized)?;
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
            return Err(PolicyError::Unauthorized);
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
            return Err(PolicyError::Unauthorized);
        }
        self.usage_lock()
            .last_used
            .insert(record.id.clone(), state.clock.now());
        Ok((record, inputs))
    }

    /// Whether `feature` may run for someone with `role`, as the holder of
    /// `token` may ask: `Ok(None)` for a feature the policy does not have.
    /// No key is opened for this answer, so none is counted as disclosed.
    pub async fn decide(
        &self,
        state: &AppState,
        token: &str,
        workspace_id: &str,
        feature: &str,
        role: Role,
    ) -> Result<Option<FeatureDecision>, PolicyError> {
        let (_, inputs) = self.authenticate(state, token, workspace_id).await?;
        let ai_off = inputs.ai_off(state.clock.now());
        let features = FeaturesPolicy::of(ai_off.is_none(), &inputs.features);
        Ok(features.decide(ai_off, workspace_id, feature, role))
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

    fn usage_lock(&self) -> std::sync::MutexGuard<'_, Usage> {
        match self.usage.lock() {
            Ok(usage) => usage,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Writes down what answers left in memory: each token's last use and
    /// how many answers each disclosure entry covers. Runs every minute;
    /// what fails to be written is kept for the next time.
    pub async fn flush(&self, state: &AppState) -> Result<(), sqlx::Error> {
        let (last_used, counted) = {
            let mut usage = self.usage_lock();
            let last_used = std::mem::take(&mut usage.last_used);
            let counted: Vec<((String, String), i64)> = usage
                .disclosed
                .iter_mut()
                .filter(|(_, answers)| **answers > 0)
                .map(|(key, answers)| (key.clone(), std::mem::take(answers)))
                .collect();
            (last_used, counted)
        };
        let mut failed = None;
        for (token_id, at) in &last_used {
            let noted = crate::db::commit(state, async |tx| {
                store::note_last_use(tx, token_id, *at).await
            })
            .await;
            if let Err(error) = noted {
                failed = Some(error);
                self.usage_lock()
                    .last_used
                    .entry(token_id.clone())
                    .or_insert(*at);
            }
        }
        for ((token_id, key_id), answers) in counted {
            let counted = crate::db::commit(state, async |tx| {
                count_disclosures(tx, &token_id, &key_id, answers).await
            })
            .await;
            if let Err(error) = counted {
                failed = Some(error);
                *self
                    .usage_lock()
                    .disclosed
                    .entry((token_id, key_id))
                    .or_default() += answers;
            }
        }
        failed.map_or(Ok(()), Err)
    }
}

/// Audits that `key` went to `token` for the first time (in any process:
/// the row in `key_disclosures` decides), counting this answer.
async fn record_disclosure(
    state: &AppState,
    token: &TokenRecord,
    key: &KeyRecord,
    at: i64,
) -> Result<(), PolicyError> {
    let written = crate::db::write(state, async |tx| {
        if store::claim_disclosure(tx, &token.id, &key.id).await? {
            let what = format!("…{} sent to service token “{}”", key.last4, token.name);
            let entry = audit::record_counted(
                tx,
                audit::NewEntry {
                    workspace: &token.workspace,
                    at,
                    actor_id: None,
                    actor_name: &format!("Service token “{}”", token.name),
                    subject: "Model provider key",
                    old_value: None,
                    new_value: Some(&what),
                },
            )
            .await?;
            store::link_disclosure(tx, &token.id, &key.id, entry).await?;
        } else {
            count_disclosures(tx, &token.id, &key.id, 1).await?;
        }
        Ok(Ok::<(), PolicyError>(()))
    })
    .await;
    written.map_err(unavailable("auditing a key disclosure"))?
}

/// Adds `answers` to the count of the audit entry that recorded the
/// disclosure of `key_id` to `token_id`.
async fn count_disclosures(
    tx: &mut crate::db::Tx<'_>,
    token_id: &str,
    key_id: &str,
    answers: i64,
) -> Result<(), sqlx::Error> {
    match store::disclosure_entry(tx, token_id, key_id).await? {
        Some(entry) => audit::count_answers(tx, entry, answers).await,
        None => Ok(()),
    }
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
    let trusted = token.may_receive_keys;
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

/// The name the notification connection goes by in `pg_stat_activity`.
pub const LISTENER_NAME: &str = "ai-console-policy-listener";

/// `database_url` with the listener's application name.
fn listener_url(database_url: &str) -> String {
    match url::Url::parse(database_url) {
        Ok(mut url) => {
            url.query_pairs_mut()
                .append_pair("application_name", LISTENER_NAME);
            url.to_string()
        }
        Err(_) => database_url.to_string(),
    }
}

/// Follows changes other replicas make, on PostgreSQL: listens for their
/// notifications on a connection of its own and reloads the workspace each
/// one names. When that connection drops, answers come from the database
/// until it is back and everything has been reloaded. Runs until the
/// process ends.
pub async fn follow_postgres(live: Arc<LivePolicy>, state: AppState, database_url: String) {
    use sqlx::postgres::PgListener;
    let mut retry = std::time::Duration::from_millis(100);
    loop {
        let connected = async {
            let mut listener = PgListener::connect(&listener_url(&database_url)).await?;
            listener.listen(crate::db::POLICY_CHANNEL).await?;
            // Whatever changed while nobody listened.
            live.load_all(&state).await?;
            live.mark_current(true);
            Ok::<_, sqlx::Error>(listener)
        }
        .await;
        let mut listener = match connected {
            Ok(listener) => {
                tracing::info!("following policy changes of other replicas");
                retry = std::time::Duration::from_millis(100);
                listener
            }
            Err(error) => {
                tracing::warn!(%error, "cannot follow policy changes yet; answering from the database");
                live.mark_current(false);
                tokio::time::sleep(retry).await;
                retry = (retry * 2).min(std::time::Duration::from_secs(5));
                continue;
            }
        };
        loop {
            match listener.try_recv().await {
                Ok(Some(notification)) => {
                    live.reload(&state, &WorkspaceId::new(notification.payload()))
                        .await;
                }
                // The connection was lost: changes may be missed from now.
                Ok(None) | Err(_) => {
                    tracing::warn!("lost the policy notification connection; answering from the database until it is back");
                    live.mark_current(false);
                    break;
                }
            }
        }
    }
}
