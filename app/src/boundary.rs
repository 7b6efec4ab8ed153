//! The one way a screen says no. Each screen declares its refusal reasons
//! once, with [`refusals!`]: the message (thiserror), a stable code for the
//! URL a plain form is sent back to, and the HTTP status. The macro derives
//! everything the server-function boundary needs from that declaration, so
//! no screen writes code tables, status matches or error conversions by
//! hand.
//!
//! The doors' shared steps (who is asking, answering with a refusal's
//! status, sending a plain form back to its page) are `crate::doors`.
//!
//! Layer: platform.

use crate::domain::LastChange;
use serde::{Deserialize, Serialize};

/// A reason a request was refused, as it crosses the server-function
/// boundary: words a person can act on, never internal detail. Implemented
/// by [`refusals!`].
pub trait Refusal: Sized + Clone + std::fmt::Display {
    /// A stable code, carried in the URL a plain form is redirected to.
    fn code(&self) -> String;
    /// The refusal a code names; unknown codes name none.
    fn from_code(code: &str) -> Option<Self>;
    /// The HTTP status the refusal answers with.
    fn status(&self) -> u16;
    /// One example of every reason, for tests that walk them all.
    fn examples() -> Vec<Self>;
}

/// The part of a refusal's code its payload adds (`too-many-attempts-7`).
/// A payload that names nothing of use in a URL (who changed a setting)
/// adds nothing and reads back as its empty value.
pub trait CodePart: Sized {
    fn code_part(&self) -> String;
    fn from_code_part(part: &str) -> Option<Self>;
    fn example() -> Self;
}

impl CodePart for i64 {
    fn code_part(&self) -> String {
        self.to_string()
    }
    fn from_code_part(part: &str) -> Option<Self> {
        part.parse().ok().filter(|value| *value > 0)
    }
    fn example() -> Self {
        7
    }
}

impl CodePart for u16 {
    fn code_part(&self) -> String {
        self.to_string()
    }
    fn from_code_part(part: &str) -> Option<Self> {
        part.parse().ok()
    }
    fn example() -> Self {
        502
    }
}

/// A conflict's "who and when" is on the page after the reload.
impl CodePart for Option<LastChange> {
    fn code_part(&self) -> String {
        String::new()
    }
    fn from_code_part(part: &str) -> Option<Self> {
        part.is_empty().then_some(None)
    }
    fn example() -> Self {
        None
    }
}

/// Declares what a screen says when a change worked: each notice with the
/// code carried in the redirect (`?done=<code>`) and its message.
#[macro_export]
macro_rules! notices {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $variant:ident = $code:literal => $message:expr ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        $vis enum $name {
            $( $variant, )+
        }

        impl $name {
            /// Every notice.
            pub const ALL: &'static [$name] = &[$( $name::$variant ),+];

            /// The code carried in the redirect back to the page.
            pub fn code(self) -> &'static str {
                match self {
                    $( $name::$variant => $code, )+
                }
            }

            /// The notice a code names; unknown codes name none.
            pub fn from_code(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|notice| notice.code() == code)
            }

            /// What the page says.
            pub fn message(self) -> &'static str {
                match self {
                    $( $name::$variant => $message, )+
                }
            }
        }

        impl $crate::boundary::Notice for $name {
            fn code(self) -> &'static str {
                $name::code(self)
            }
            fn from_code(code: &str) -> Option<Self> {
                $name::from_code(code)
            }
            fn message(self) -> &'static str {
                $name::message(self)
            }
        }
    };
}

/// What a page says when a change worked, read back from the redirect.
/// Implemented by [`notices!`].
pub trait Notice: Sized + Copy {
    /// The code carried in the redirect back to the page.
    fn code(self) -> &'static str;
    /// The notice a code names; unknown codes name none.
    fn from_code(code: &str) -> Option<Self>;
    /// What the page says.
    fn message(self) -> &'static str;
}

/// Makes a payload enum of unit variants a [`CodePart`], one code each.
#[macro_export]
macro_rules! code_parts {
    ($name:ident { $($variant:ident = $code:literal),+ $(,)? }) => {
        impl $crate::boundary::CodePart for $name {
            fn code_part(&self) -> String {
                match self {
                    $( $name::$variant => $code.to_string(), )+
                }
            }
            fn from_code_part(part: &str) -> Option<Self> {
                [$( ($name::$variant, $code), )+]
                    .into_iter()
                    .find(|(_, code)| *code == part)
                    .map(|(value, _)| value)
            }
            fn example() -> Self {
                [$( $name::$variant, )+][0]
            }
        }
    };
}

/// `prefix` alone, or `prefix-part`, or `part` for an empty prefix.
#[doc(hidden)]
pub fn joined_code(prefix: &str, part: &str) -> String {
    if part.is_empty() {
        prefix.to_string()
    } else if prefix.is_empty() {
        part.to_string()
    } else {
        format!("{prefix}-{part}")
    }
}

/// What follows `prefix` in `code` (empty for `prefix` itself).
#[doc(hidden)]
pub fn part_after<'a>(prefix: &str, code: &'a str) -> Option<&'a str> {
    let rest = code.strip_prefix(prefix)?;
    if rest.is_empty() || prefix.is_empty() {
        Some(rest)
    } else {
        rest.strip_prefix('-')
    }
}

/// Why a door has nobody to act for. Every refusal type converts it into
/// its own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoActor {
    SignedOut,
    /// The session could not be read (logged where it happened).
    Unavailable,
}

/// The signed-in person is not an admin. Only refusal types that declare
/// an admins-only reason convert it, so a door that needs an admin cannot
/// be written for a screen that has no words for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotAdmin;

/// Declares a screen's refusal reasons: each variant with its message
/// (`#[error]`), code and HTTP status, then which variants stand for the
/// boundary's own failures, or `standard` for the three every form page
/// shares (`SignInRequired`, `BadRequest`, `Unavailable`).
///
/// ```text
/// refusals! {
///     #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
///     pub enum TokensError {
///         #[error("Only admins can create or revoke service tokens.")]
///         AdminsOnly = "admins-only" => 403,
///         ...
///     }
///     standard,
///     not_admin: AdminsOnly,
/// }
/// ```
///
/// `undecodable` answers requests whose arguments do not decode (400);
/// `unreachable`, where given, is what the browser shows when the server
/// could not be reached at all.
#[macro_export]
macro_rules! refusals {
    // `standard`: the boundary's own three reasons, in the words every
    // form page uses, are added to the screen's.
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident $(($field:ty))? = $code:literal => $status:literal
            ),+ $(,)?
        }
        standard
        $(, not_admin: $not_admin:ident)?
        $(,)?
    ) => {
        $crate::refusals! {
            $(#[$meta])*
            $vis enum $name {
                $( $(#[$vmeta])* $variant $(($field))? = $code => $status, )+
                #[error("Your session has ended. Sign in again.")]
                SignInRequired = "sign-in-required" => 401,
                #[error("The form was not understood. Reload the page and try again.")]
                BadRequest = "bad-request" => 400,
                #[error("Something went wrong on the server. Nothing was changed; try again in a moment.")]
                Unavailable = "unavailable" => 503,
            }
            signed_out: SignInRequired,
            undecodable: BadRequest,
            failed: Unavailable
            $(, not_admin: $not_admin)?
        }
    };
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident $(($field:ty))? = $code:literal => $status:literal
            ),+ $(,)?
        }
        signed_out: $signed_out:ident,
        undecodable: $undecodable:ident,
        failed: $failed:ident
        $(, not_admin: $not_admin:ident)?
        $(, unreachable: $unreachable:ident)?
        $(,)?
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $( $(#[$vmeta])* $variant $(($field))?, )+
        }

        impl $crate::boundary::Refusal for $name {
            fn code(&self) -> String {
                match self {
                    $(
                        $crate::refusals!(@pattern $name $variant $(part $field)?) =>
                            $crate::refusals!(@code $code $(part $field)?),
                    )+
                }
            }

            fn from_code(code: &str) -> Option<Self> {
                $(
                    $crate::refusals!(@read code $name $variant $code $($field)?);
                )+
                None
            }

            fn status(&self) -> u16 {
                match self {
                    $( $crate::refusals!(@pattern $name $variant $(_part $field)?) => $status, )+
                }
            }

            fn examples() -> Vec<Self> {
                vec![$( $crate::refusals!(@example $name $variant $($field)?), )+]
            }
        }

        #[cfg(feature = "ssr")]
        impl $name {
            /// The boundary's failure for something that went wrong on the
            /// server: `error` is logged as the failure of `what`, and the
            /// person is told only that it did not work.
            pub fn logged<Failure: ::std::fmt::Display>(
                what: &str,
            ) -> impl Fn(Failure) -> Self + Copy + '_ {
                move |error| {
                    ::tracing::error!(%error, "{what} failed");
                    $name::$failed
                }
            }
        }

        impl From<$crate::boundary::NoActor> for $name {
            fn from(reason: $crate::boundary::NoActor) -> Self {
                match reason {
                    $crate::boundary::NoActor::SignedOut => $name::$signed_out,
                    $crate::boundary::NoActor::Unavailable => $name::$failed,
                }
            }
        }

        $(
            impl From<$crate::boundary::NotAdmin> for $name {
                fn from(_: $crate::boundary::NotAdmin) -> Self {
                    $name::$not_admin
                }
            }
        )?

        impl ::leptos::server_fn::error::FromServerFnError for $name {
            type Encoder = ::leptos::server_fn::codec::JsonEncoding;

            fn from_server_fn_error(
                value: ::leptos::server_fn::error::ServerFnErrorErr,
            ) -> Self {
                use ::leptos::server_fn::error::ServerFnErrorErr;
                match value {
                    // A stale page or a hand-made request: the caller's
                    // mistake, never a server fault.
                    ServerFnErrorErr::Args(_)
                    | ServerFnErrorErr::MissingArg(_)
                    | ServerFnErrorErr::Deserialization(_) => {
                        $crate::boundary::arguments_undecodable();
                        $name::$undecodable
                    }
                    // The browser never got an answer it could read.
                    ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => {
                        $crate::refusals!(@unreachable $name $failed $($unreachable)?)
                    }
                    _ => $name::$failed,
                }
            }
        }
    };

    (@pattern $name:ident $variant:ident) => { $name::$variant };
    (@pattern $name:ident $variant:ident $part:ident $field:ty) => { $name::$variant($part) };

    (@code $code:literal) => { ::std::string::String::from($code) };
    (@code $code:literal $part:ident $field:ty) => {
        $crate::boundary::joined_code(
            $code,
            &<$field as $crate::boundary::CodePart>::code_part($part),
        )
    };

    (@read $input:ident $name:ident $variant:ident $code:literal) => {
        if $input == $code {
            return Some($name::$variant);
        }
    };
    (@read $input:ident $name:ident $variant:ident $code:literal $field:ty) => {
        if let Some(part) = $crate::boundary::part_after($code, $input)
            .and_then(<$field as $crate::boundary::CodePart>::from_code_part)
        {
            return Some($name::$variant(part));
        }
    };

    (@example $name:ident $variant:ident) => { $name::$variant };
    (@example $name:ident $variant:ident $field:ty) => {
        $name::$variant(<$field as $crate::boundary::CodePart>::example())
    };

    (@unreachable $name:ident $failed:ident) => { $name::$failed };
    (@unreachable $name:ident $failed:ident $unreachable:ident) => { $name::$unreachable };
}

refusals! {
    /// Why a screen could not show what it loads. Never carries internal
    /// detail.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
    pub enum LoadError {
        #[error("The settings could not be loaded right now. Reload the page in a moment.")]
        Unavailable = "unavailable" => 503,
        #[error("Your session has ended. Sign in again to see the settings.")]
        SignInRequired = "sign-in-required" => 401,
        #[error("The request was not understood. Reload the page and try again.")]
        BadRequest = "bad-request" => 400,
    }
    signed_out: SignInRequired,
    undecodable: BadRequest,
    failed: Unavailable,
}

/// Arguments that did not decode answer 400. Leptos decodes them before
/// the function runs and would answer 500; the status set here is applied
/// to the response it builds. A plain form post is sent back to its page
/// instead, as every other outcome of a form is.
pub fn arguments_undecodable() {
    #[cfg(feature = "ssr")]
    if !is_plain_form_post() {
        set_status(400);
    }
}

#[cfg(feature = "ssr")]
pub use ssr::*;

#[cfg(feature = "ssr")]
mod ssr {
    use http::{header::ACCEPT, request::Parts};
    use leptos::prelude::use_context;
    use leptos_axum::ResponseOptions;

    /// A form posted by the browser itself (no JavaScript) asks for HTML;
    /// an island's script asks for the server function's encoding.
    pub fn is_plain_form_post() -> bool {
        use_context::<Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get(ACCEPT)
                    .and_then(|accept| accept.to_str().ok())
                    .map(|accept| accept.contains("text/html"))
            })
            .unwrap_or(false)
    }

    pub fn set_status(status: u16) {
        let status = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::BAD_REQUEST);
        match use_context::<ResponseOptions>() {
            Some(response) => response.set_status(status),
            None => tracing::error!(%status, "no response to set a refusal's status on"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every reason of `E` reads back from its code.
    fn assert_codes_round_trip<E: Refusal + PartialEq + std::fmt::Debug>() {
        for refusal in E::examples() {
            assert_eq!(E::from_code(&refusal.code()), Some(refusal.clone()));
        }
        assert_eq!(E::from_code("no-such-code"), None);
    }

    #[test]
    fn every_screens_refusals_read_back_from_their_codes() {
        assert_codes_round_trip::<LoadError>();
        assert_codes_round_trip::<crate::accounts::AuthError>();
        assert_codes_round_trip::<crate::ai_settings::SaveError>();
        assert_codes_round_trip::<crate::api_access::TokensError>();
        assert_codes_round_trip::<crate::members::MembersError>();
        assert_codes_round_trip::<crate::features::FeaturesError>();
        assert_codes_round_trip::<crate::model_provider::ProviderError>();
        assert_codes_round_trip::<crate::models::ModelsError>();
        assert_codes_round_trip::<crate::budget::BudgetError>();
    }

    #[test]
    fn a_payload_joins_its_prefix_with_a_dash() {
        assert_eq!(joined_code("too-many-attempts", "7"), "too-many-attempts-7");
        assert_eq!(joined_code("conflict", ""), "conflict");
        assert_eq!(part_after("key", "key-missing"), Some("missing"));
        assert_eq!(part_after("key", "keyboard"), None);
        assert_eq!(part_after("conflict", "conflict"), Some(""));
    }

    #[test]
    fn a_lost_connection_is_the_screens_failure_unless_it_names_another() {
        use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
        let error = LoadError::from_server_fn_error(ServerFnErrorErr::Request("offline".into()));
        assert_eq!(error, LoadError::Unavailable);
        let error = LoadError::from_server_fn_error(ServerFnErrorErr::Args("page=x".into()));
        assert_eq!(error, LoadError::BadRequest);
    }
}
