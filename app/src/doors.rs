//! Layer: doors. The steps every server function shares: who is asking,
//! answering with the refusal's status, and sending a plain form (no
//! JavaScript) back to its page with the outcome.

#[cfg(feature = "ssr")]
pub use ssr::*;

use crate::boundary::{Notice, Refusal};

/// How a section of the AI & agents page hears what became of its plain
/// form: the change redirects to `?<key>=<notice>` or
/// `?<key>_error=<refusal>` and `#<anchor>` (what was typed waits in the
/// session, see `accounts::typed_input`); the page reads the same two keys
/// back. Declared once a section, so the redirect and the reading cannot
/// drift apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SectionOutcome {
    pub key: &'static str,
    pub anchor: &'static str,
}

impl SectionOutcome {
    /// Back to the section, saying `notice`.
    pub fn done_url(&self, notice: &str) -> String {
        let SectionOutcome { key, anchor } = self;
        format!("{}?{key}={notice}#{anchor}", crate::paths::AI_SETTINGS)
    }

    /// Back to the section, saying why it was refused.
    pub fn refused_url(&self, refusal: &str) -> String {
        let SectionOutcome { key, anchor } = self;
        format!(
            "{}?{key}_error={refusal}#{anchor}",
            crate::paths::AI_SETTINGS
        )
    }

    /// What the page's query says of this section: a notice, a refusal,
    /// or neither (unknown codes say nothing).
    pub fn read<N: Notice, E: Refusal>(
        &self,
        get: impl Fn(&str) -> Option<String>,
    ) -> (Option<N>, Option<E>) {
        (
            get(self.key).and_then(|code| N::from_code(&code)),
            get(&format!("{}_error", self.key)).and_then(|code| E::from_code(&code)),
        )
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::SectionOutcome;
    use crate::accounts::session::{self, Actor, Admin};
    use crate::boundary::{set_status, NoActor, NotAdmin, Notice, Refusal};
    use crate::state::{self, AppState};

    /// Sets the response status for `outcome`'s refusal, if it has one. A
    /// redirect set afterwards (forms without JavaScript) still wins.
    pub fn answer_with<T, E: Refusal>(outcome: &Result<T, E>) {
        if let Err(refusal) = outcome {
            set_status(refusal.status());
        }
    }

    /// Serves a request for anyone, signed in or not: answers with the
    /// refusal's status when it fails, then, where `back_to` names a page
    /// for the outcome, redirects there (plain forms show the outcome after
    /// the redirect).
    pub async fn serve<T, E: Refusal + From<NoActor>>(
        back_to: impl FnOnce(&Result<T, E>) -> Option<String>,
        serve: impl AsyncFnOnce(&AppState) -> Result<T, E>,
    ) -> Result<T, E> {
        let outcome = match state::current() {
            Some(state) => serve(&state).await,
            None => Err(E::from(NoActor::Unavailable)),
        };
        answer_with(&outcome);
        if let Some(page) = back_to(&outcome) {
            leptos_axum::redirect(&page);
        }
        outcome
    }

    /// A load for the signed-in person of the request.
    pub async fn load_for_actor<T, E: Refusal + From<NoActor>>(
        load: impl AsyncFnOnce(&AppState, &Actor) -> Result<T, E>,
    ) -> Result<T, E> {
        change_and_return(|_| None, load).await
    }

    /// A change for the signed-in person of the request, then back to
    /// where `back_to` says (see [`serve`]).
    pub async fn change_and_return<T, E: Refusal + From<NoActor>>(
        back_to: impl FnOnce(&Result<T, E>) -> Option<String>,
        change: impl AsyncFnOnce(&AppState, &Actor) -> Result<T, E>,
    ) -> Result<T, E> {
        serve(back_to, async |state| {
            let actor = session::require_actor(state).await?;
            change(state, &actor).await
        })
        .await
    }

    /// For the forms that sign someone in from a one-time link (setup,
    /// join): home when it worked, else back to the link's page (`page`
    /// with its `token`) with the refusal and, sealed, what was `typed`
    /// (never a password; see `accounts::typed_input`).
    pub fn home_or_back_to<E: Refusal>(
        page: &'static str,
        token: String,
        typed: Vec<(&'static str, String)>,
    ) -> impl FnOnce(&Result<(), E>) -> Option<String> {
        move |outcome| {
            Some(match outcome {
                Ok(()) => crate::paths::HOME.to_string(),
                Err(refusal) => format!(
                    "{page}?token={}&error={}{}",
                    crate::paths::query_value(&token),
                    refusal.code(),
                    sealed_typed(page, &typed)
                ),
            })
        }
    }

    /// `&typed=…`: what a signed-out form typed on `page`, sealed for the
    /// URL; nothing when there is nothing to carry.
    pub fn sealed_typed(page: &str, typed: &[(&'static str, String)]) -> String {
        crate::accounts::typed_input::sealed_for_url(page, typed)
            .map(|sealed| format!("&typed={sealed}"))
            .unwrap_or_default()
    }

    /// On a refusal, keeps what the signed-in person's plain form on
    /// `page` typed (never a password) in their session for the page to
    /// show again; the outcome as it was.
    pub async fn keep_typed_if_refused<T, E>(
        page: &str,
        typed: &[(&'static str, String)],
        outcome: Result<T, E>,
    ) -> Result<T, E> {
        if outcome.is_err() && !typed.is_empty() {
            crate::accounts::typed_input::keep(page, typed).await;
        }
        outcome
    }

    /// `page?done=<notice>` or `page?error=<refusal>`: where the plain
    /// forms of a page send the browser back to.
    pub fn done_or_error<T, E: Refusal>(
        page: &'static str,
        done: &'static str,
    ) -> impl FnOnce(&Result<T, E>) -> Option<String> {
        move |outcome| {
            Some(match outcome {
                Ok(_) => format!("{page}?done={done}"),
                Err(refusal) => format!("{page}?error={}", refusal.code()),
            })
        }
    }

    /// A change of a section of the AI & agents page, as the request's
    /// admin: `change` runs once the person is found to be one, and the
    /// browser goes back to `section` with the notice `done` picks, or the
    /// refusal and what was `typed`.
    pub async fn change_as_admin<T, N, E>(
        section: SectionOutcome,
        done: impl FnOnce(&T) -> N,
        typed: Vec<(&'static str, String)>,
        change: impl AsyncFnOnce(&AppState, &Admin) -> Result<T, E>,
    ) -> Result<T, E>
    where
        N: Notice,
        E: Refusal + From<NoActor> + From<NotAdmin>,
    {
        let back_to = move |outcome: &Result<T, E>| {
            Some(match outcome {
                Ok(value) => section.done_url(done(value).code()),
                Err(refusal) => section.refused_url(&refusal.code()),
            })
        };
        let outcome = change_and_return(back_to, async |state, actor| {
            change(state, &Admin::check(actor.clone())?).await
        })
        .await;
        keep_typed_if_refused(crate::paths::AI_SETTINGS, &typed, outcome).await
    }
}
