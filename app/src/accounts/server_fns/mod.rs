//! Sign-in, sign-out and first-admin setup. These are plain HTML forms on
//! their pages (no wasm needed): each function answers with a redirect, to
//! where the person was going or back to the form with the reason.

mod change_password;
mod change_profile;
mod complete_setup;
mod delete_own_account;
mod load_account;
mod load_viewer;
mod setup_link_usable;
mod sign_in;
mod sign_out;
mod take_typed_input;

pub use change_password::{change_password, ChangePassword};
pub use change_profile::{change_profile, ChangeProfile};
pub use complete_setup::{complete_setup, CompleteSetup};
pub use delete_own_account::{delete_own_account, DeleteOwnAccount};
pub use load_account::{load_account, AccountSummary, LoadAccount};
pub use load_viewer::{load_viewer, LoadViewer};
pub use setup_link_usable::{setup_link_usable, SetupLinkUsable};
pub use sign_in::{sign_in, SignIn};
pub use sign_out::{sign_out, SignOut};
pub use take_typed_input::{take_typed_input, TakeTypedInput};
