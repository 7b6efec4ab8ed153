//! Keeping every workspace's inputs in memory: the first full load, the
//! reload after a change, and the comparison of versions that catches up
//! with changes this process may have missed.

use super::{read_inputs, Known, LivePolicy};
use crate::api_access::service as store;
use crate::domain::WorkspaceId;
use crate::state::AppState;
use std::sync::atomic::Ordering;
use std::sync::Arc;

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
}
