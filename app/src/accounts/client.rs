//! Which client a request came from (for throttling failed sign-ins), and
//! at which address it reached us (for the links we hand out).

use axum::extract::ConnectInfo;
use http::request::Parts;
use ipnet::IpNet;
use leptos::prelude::use_context;
use std::net::{IpAddr, SocketAddr};

/// The client's address. `X-Forwarded-For` is believed only when the
/// connection comes from a trusted proxy, and then only as far back as
/// the chain of trusted proxies goes: the right-most address that is not
/// one of them is the client (anything left of it is the client's own
/// claim and could be forged).
pub fn address(trusted_proxies: &[IpNet]) -> String {
    let Some(parts) = use_context::<Parts>() else {
        return "unknown".into();
    };
    let Some(ConnectInfo(peer)) = parts.extensions.get::<ConnectInfo<SocketAddr>>() else {
        return "unknown".into();
    };
    let forwarded: Vec<&str> = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|line| line.to_str().ok())
        .collect();
    client_of(peer.ip(), &forwarded, trusted_proxies).to_string()
}

/// The client behind a connection from `peer` carrying `forwarded` (the
/// `X-Forwarded-For` lines, in order).
pub fn client_of(peer: IpAddr, forwarded: &[&str], trusted_proxies: &[IpNet]) -> IpAddr {
    let trusted = |address: &IpAddr| trusted_proxies.iter().any(|range| range.contains(address));
    let mut client = peer;
    let hops = forwarded.iter().flat_map(|line| line.split(',')).rev();
    for hop in hops {
        if !trusted(&client) {
            break;
        }
        // An entry that is not an address ends the chain at the last
        // proxy we trust.
        match hop.trim().parse::<IpAddr>() {
            Ok(address) => client = address,
            Err(_) => break,
        }
    }
    client
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn proxies() -> Vec<IpNet> {
        vec![
            "10.0.0.0/8".parse().unwrap(),
            "192.0.2.7/32".parse().unwrap(),
        ]
    }

    #[test]
    fn without_trusted_proxies_the_header_is_never_believed() {
        let client = client_of(ip("10.1.2.3"), &["203.0.113.9"], &[]);
        assert_eq!(client, ip("10.1.2.3"));
    }

    #[test]
    fn a_connection_from_elsewhere_is_its_own_client_whatever_it_claims() {
        let client = client_of(ip("198.51.100.4"), &["203.0.113.9"], &proxies());
        assert_eq!(client, ip("198.51.100.4"));
    }

    #[test]
    fn the_right_most_untrusted_address_across_every_line_is_the_client() {
        // The client claims 1.1.1.1; our edge proxy (192.0.2.7) saw
        // 203.0.113.9 and the inner proxy (10.0.0.5) saw the edge proxy.
        let lines = ["1.1.1.1, 203.0.113.9", "192.0.2.7"];
        assert_eq!(
            client_of(ip("10.0.0.5"), &lines, &proxies()),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn a_forged_entry_left_of_the_real_client_changes_nothing() {
        for forged in [
            "10.9.9.9, 203.0.113.9",
            "junk, 203.0.113.9",
            "::1,203.0.113.9",
        ] {
            assert_eq!(
                client_of(ip("10.0.0.5"), &[forged], &proxies()),
                ip("203.0.113.9"),
                "{forged}"
            );
        }
    }

    #[test]
    fn garbage_ends_the_chain_at_the_last_trusted_hop() {
        assert_eq!(
            client_of(ip("10.0.0.5"), &["not an address"], &proxies()),
            ip("10.0.0.5")
        );
        assert_eq!(client_of(ip("10.0.0.5"), &[], &proxies()), ip("10.0.0.5"));
    }
}
