//! What a refused plain form typed (never a password) goes back with, so
//! the form shows it again without it travelling in the clear.
//!
//! - Signed in: it waits in the person's session for the page, sealed
//!   like the other values kept for the next page; the redirect's URL
//!   carries only the refusal's code.
//! - Signed out (sign-in, first admin, joining): there is no session and
//!   none is started (the console sets its cookie only once someone signs
//!   in), so it goes in the URL sealed under the master key, for ten
//!   minutes and for that page only. Names and e-mail addresses thus stay
//!   out of URLs, history and proxies' logs in readable form, and a long
//!   input is not copied back at all (the refusal still is), so it cannot
//!   make a long `Location` header.

use serde::{Deserialize, Serialize};

/// The fields a refused form sent, for the page (path) it was sent from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypedInput {
    page: String,
    fields: Vec<(String, String)>,
}

impl TypedInput {
    /// What was typed into the field `name`, if anything.
    pub fn get(&self, name: &str) -> Option<String> {
        self.fields
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value.clone())
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::TypedInput;
    use crate::accounts::session;

    /// The session slot it waits in.
    const SLOT: &str = "typed-input";

    /// Keeps `fields`, typed on `page`, for the page to show once.
    pub async fn keep(page: &str, fields: &[(&'static str, String)]) {
        let typed = TypedInput {
            page: page.to_string(),
            fields: fields
                .iter()
                .map(|(name, value)| (name.to_string(), value.clone()))
                .collect(),
        };
        // Not kept (logged there): the page shows the refusal with the
        // form empty, which loses a retype, never a change.
        let _ = session::keep_for_page(SLOT, &typed).await;
    }

    /// Takes what was kept for `page`: shown once, then gone. What was
    /// kept for another page is dropped too.
    pub async fn take(page: &str) -> TypedInput {
        session::take_for_page::<TypedInput>(SLOT)
            .await
            .filter(|typed| typed.page == page)
            .unwrap_or_default()
    }

    /// How long a sealed copy in a URL opens.
    const URL_LIFETIME_SECS: i64 = 10 * 60;
    /// The most a sealed copy holds; past it nothing typed goes back.
    const LARGEST_IN_URL: usize = 1024;
    /// What a sealed copy is sealed for.
    const URL_CONTEXT: &str = "typed-input/url";

    #[derive(serde::Serialize, serde::Deserialize)]
    struct InUrl {
        typed: TypedInput,
        until: i64,
    }

    /// `fields`, typed on `page`, sealed for the URL the refusal goes back
    /// to: `None` when too long to carry (or the console's state is gone).
    pub fn sealed_for_url(page: &str, fields: &[(&'static str, String)]) -> Option<String> {
        let state = crate::state::current()?;
        let in_url = InUrl {
            typed: TypedInput {
                page: page.to_string(),
                fields: fields
                    .iter()
                    .map(|(name, value)| (name.to_string(), value.clone()))
                    .collect(),
            },
            until: state.clock.now() + URL_LIFETIME_SECS,
        };
        let plain = serde_json::to_string(&in_url).ok()?;
        if plain.len() > LARGEST_IN_URL {
            return None;
        }
        let sealed = state
            .master_keys
            .seal(&secrecy::SecretString::from(plain), URL_CONTEXT);
        Some(format!(
            "{}.{}.{}",
            sealed.master_key_id,
            hex::encode(&sealed.nonce),
            hex::encode(&sealed.ciphertext)
        ))
    }

    /// What [`sealed_for_url`] sealed for `page`, if it opens, is for
    /// this page and still current; else nothing.
    pub fn opened_from_url(page: &str, text: &str) -> TypedInput {
        use secrecy::ExposeSecret;
        let opened = || -> Option<TypedInput> {
            let state = crate::state::current()?;
            let mut parts = text.rsplitn(3, '.');
            let ciphertext = hex::decode(parts.next()?).ok()?;
            let nonce = hex::decode(parts.next()?).ok()?;
            let master_key_id = parts.next()?.to_string();
            let sealed = crate::model_provider::cipher::Sealed {
                master_key_id,
                nonce,
                ciphertext,
            };
            let plain = state.master_keys.open(&sealed, URL_CONTEXT).ok()?;
            let in_url: InUrl = serde_json::from_str(plain.expose_secret()).ok()?;
            (in_url.typed.page == page && state.clock.now() <= in_url.until).then_some(in_url.typed)
        };
        opened().unwrap_or_default()
    }
}

#[cfg(feature = "ssr")]
pub use ssr::{keep, opened_from_url, sealed_for_url, take};
