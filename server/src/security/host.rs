//! Which `Host` the console answers to. Without `AI_CONSOLE_PUBLIC_URL`
//! the request's own `Host` is what the cross-site check compares `Origin`
//! with and what invitation and setup links are built on, so a request
//! naming another host (`Host: evil.example`) could pass the check and
//! plant links to that host. Then only loopback names and the address the
//! connection arrived at are believed; anything else is refused with 421
//! (Misdirected Request), saying which setting to use. With a public URL
//! the `Host` header is used for nothing and every value passes (a
//! reverse proxy may send its own upstream name).

use axum::{
    extract::{Request, State},
    http::{header, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::net::{IpAddr, SocketAddr};

/// The address a connection arrived at, as the listener saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArrivedAt(pub SocketAddr);

/// Whether the `Host` header decides anything: true when no public URL
/// is configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostDecides(pub bool);

pub const MISDIRECTED_MESSAGE: &str = "This console does not answer to that host name. Reach it at the address its operator gave you; an operator serving it under a name sets AI_CONSOLE_PUBLIC_URL to that address.";

/// Whether a request with `Host: host` that arrived at `arrived_at` may
/// be served when no public URL is configured.
pub fn trusted(host: &str, arrived_at: Option<SocketAddr>) -> bool {
    let Ok(authority) = host.parse::<axum::http::uri::Authority>() else {
        return false;
    };
    let name = authority.host();
    let bare = name.trim_start_matches('[').trim_end_matches(']');
    if bare.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let Ok(ip) = bare.parse::<IpAddr>() else {
        return false;
    };
    if ip.is_loopback() {
        return true;
    }
    // The listener's own address, as a probe or a person typing the
    // machine's address reaches it.
    arrived_at
        .is_some_and(|local| local.ip() == ip && authority.port_u16().unwrap_or(80) == local.port())
}

pub async fn refuse_unknown_host(
    State(HostDecides(decides)): State<HostDecides>,
    request: Request,
    next: Next,
) -> Response {
    if !decides {
        return next.run(request).await;
    }
    // No Host at all (HTTP/1.0): nothing is built on it.
    let Some(host) = request.headers().get(header::HOST) else {
        return next.run(request).await;
    };
    let arrived_at = request.extensions().get::<ArrivedAt>().map(|at| at.0);
    let host_is_trusted = host.to_str().is_ok_and(|host| trusted(host, arrived_at));
    if host_is_trusted {
        return next.run(request).await;
    }
    tracing::warn!(path = %request.uri().path(), "refused a request for another host name (AI_CONSOLE_PUBLIC_URL is unset)");
    (StatusCode::MISDIRECTED_REQUEST, MISDIRECTED_MESSAGE).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Option<SocketAddr> {
        Some(text.parse().unwrap())
    }

    #[test]
    fn loopback_names_are_trusted_on_any_port() {
        for host in [
            "localhost",
            "LOCALHOST:3000",
            "127.0.0.1:8080",
            "127.1.2.3",
            "[::1]:3000",
        ] {
            assert!(trusted(host, None), "{host}");
        }
    }

    #[test]
    fn the_address_the_connection_arrived_at_is_trusted_and_no_other() {
        assert!(trusted("192.0.2.10:3000", at("192.0.2.10:3000")));
        assert!(trusted("192.0.2.10", at("192.0.2.10:80")));
        assert!(!trusted("192.0.2.10:3001", at("192.0.2.10:3000")));
        assert!(!trusted("192.0.2.11:3000", at("192.0.2.10:3000")));
    }

    #[test]
    fn other_names_and_garbage_are_not() {
        for host in [
            "evil.example",
            "evil.example:3000",
            "localhost.evil.example",
            "",
            "a b",
            "127.0.0.1.evil.example",
        ] {
            assert!(!trusted(host, at("192.0.2.10:3000")), "{host}");
        }
    }
}
