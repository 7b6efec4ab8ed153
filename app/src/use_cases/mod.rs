//! Layer: use cases. What spans several screens: each file composes the
//! services of the screens below it, and no screen imports this layer.

#[cfg(feature = "ssr")]
pub mod erasure;
#[cfg(feature = "ssr")]
pub mod gateway;
#[cfg(feature = "ssr")]
pub mod live_policy;
#[cfg(feature = "ssr")]
pub mod personal_data;
#[cfg(feature = "ssr")]
pub mod provider_change;
#[cfg(feature = "ssr")]
pub mod sign_on;
#[cfg(feature = "ssr")]
pub mod usage_report;
pub mod viewer;
