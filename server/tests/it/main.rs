//! The server's integration tests: the router driven with `oneshot` as a
//! browser or a service would, and real server processes for replicas.
//! One test binary; `support` is the in-process console harness.

// Test code: a panic is a failed test, not a failed request.
#![allow(clippy::unwrap_used)]

mod accounts;
mod authorization;
mod backups;
mod configuration;
mod connections;
mod contract;
mod faults;
mod first_admin;
mod floods;
mod full_disk;
mod gateway;
mod gateway_translation;
mod http;
mod live_policy;
mod members;
mod metrics;
mod models;
mod policy_api;
mod privacy;
mod processes;
mod reads_per_request;
mod replicas;
mod security;
mod shutdown;
mod support;
mod usage;
