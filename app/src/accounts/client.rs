//! Which client a request came from (for throttling failed sign-ins), and
//! at which address it reached us (for the links we hand out).

use axum::extract::ConnectInfo;
use http::request::Parts;
use leptos::prelude::use_context;
use std::net::SocketAddr;

/// The client's address. Behind our reverse proxy every connection comes
/// from the proxy, so the address the proxy appended last to
/// `X-Forwarded-For` is used instead (earlier entries are the client's
/// own claims and could be forged).
pub fn address(behind_proxy: bool) -> String {
    let Some(parts) = use_context::<Parts>() else {
        return "unknown".into();
    };
    if behind_proxy {
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.rsplit(',').next())
            .map(str::trim)
            .filter(|value| !value.is_empty());
        if let Some(client) = forwarded {
            return client.to_string();
        }
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(peer)| peer.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// The origin (`https://console.example.com`) people reach the console
/// at: the configured public URL, or else the address this request was
/// sent to.
pub fn origin(public_url: Option<&str>) -> Option<String> {
    if let Some(url) = public_url {
        return Some(url.trim_end_matches('/').to_string());
    }
    let parts = use_context::<Parts>()?;
    let host = parts.headers.get(http::header::HOST)?.to_str().ok()?;
    Some(format!("http://{host}"))
}
