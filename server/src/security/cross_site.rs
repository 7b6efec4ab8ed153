//! Leptos server functions have no protection against cross-site request
//! forgery of their own. This layer refuses any state-changing request that
//! a browser was made to send by another site: it checks the
//! `Sec-Fetch-Site` header browsers attach, and the `Origin` header against
//! the console's public origin (or, when none is configured, the request's
//! own `Host`). Our own pages, with or without JavaScript, pass both.

use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// The origin our pages are served from, when it differs from what the
/// `Host` header says (behind a reverse proxy that rewrites it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublicOrigin(pub Option<String>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    CrossSite,
    ForeignOrigin,
    NoProvenance,
}

pub const REFUSAL_MESSAGE: &str = "This request did not come from the console's own pages, so it was refused and nothing was changed. Open the settings page and try again.";

/// Decides whether a state-changing request may proceed.
pub fn verdict(headers: &HeaderMap, public_origin: &PublicOrigin) -> Result<(), Refusal> {
    let text = |name| {
        headers
            .get(name)
            .and_then(|value: &header::HeaderValue| value.to_str().ok())
    };
    let fetch_site = text("sec-fetch-site");
    if let Some(site) = fetch_site {
        // "none" is a navigation the user started themselves.
        if site != "same-origin" && site != "none" {
            return Err(Refusal::CrossSite);
        }
    }
    match text(header::ORIGIN.as_str()) {
        Some(origin) => {
            let expected = match &public_origin.0 {
                Some(public) => public.trim_end_matches('/').to_string(),
                None => match text(header::HOST.as_str()) {
                    Some(host) => return same_host(origin, host),
                    None => return Err(Refusal::NoProvenance),
                },
            };
            if origin == expected {
                Ok(())
            } else {
                Err(Refusal::ForeignOrigin)
            }
        }
        // Every current browser sends one of the two on a POST; a request
        // with neither did not come from our pages.
        None if fetch_site.is_some() => Ok(()),
        None => Err(Refusal::NoProvenance),
    }
}

/// `Origin: http://host:port` against `Host: host:port`.
fn same_host(origin: &str, host: &str) -> Result<(), Refusal> {
    let authority = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .ok_or(Refusal::ForeignOrigin)?;
    if authority.eq_ignore_ascii_case(host) {
        Ok(())
    } else {
        Err(Refusal::ForeignOrigin)
    }
}

pub async fn refuse_cross_site(
    State(public_origin): State<PublicOrigin>,
    request: Request,
    next: Next,
) -> Response {
    if request.method().is_safe() {
        return next.run(request).await;
    }
    match verdict(request.headers(), &public_origin) {
        Ok(()) => next.run(request).await,
        Err(refusal) => {
            tracing::warn!(?refusal, path = %request.uri().path(), "refused a cross-site request");
            (StatusCode::FORBIDDEN, REFUSAL_MESSAGE).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    const NO_PUBLIC: PublicOrigin = PublicOrigin(None);

    #[test]
    fn our_own_page_passes() {
        let own = headers(&[
            ("host", "localhost:3000"),
            ("origin", "http://localhost:3000"),
            ("sec-fetch-site", "same-origin"),
        ]);
        assert_eq!(verdict(&own, &NO_PUBLIC), Ok(()));
    }

    #[test]
    fn another_site_is_refused_by_either_header() {
        let by_fetch_site =
            headers(&[("host", "localhost:3000"), ("sec-fetch-site", "cross-site")]);
        assert_eq!(verdict(&by_fetch_site, &NO_PUBLIC), Err(Refusal::CrossSite));
        let same_site = headers(&[("sec-fetch-site", "same-site")]);
        assert_eq!(verdict(&same_site, &NO_PUBLIC), Err(Refusal::CrossSite));
        let by_origin = headers(&[
            ("host", "localhost:3000"),
            ("origin", "https://evil.example"),
        ]);
        assert_eq!(verdict(&by_origin, &NO_PUBLIC), Err(Refusal::ForeignOrigin));
        let null_origin = headers(&[("host", "localhost:3000"), ("origin", "null")]);
        assert_eq!(
            verdict(&null_origin, &NO_PUBLIC),
            Err(Refusal::ForeignOrigin)
        );
    }

    #[test]
    fn a_request_with_no_provenance_is_refused() {
        assert_eq!(
            verdict(&headers(&[("host", "localhost:3000")]), &NO_PUBLIC),
            Err(Refusal::NoProvenance)
        );
    }

    #[test]
    fn behind_a_proxy_the_configured_public_origin_is_what_counts() {
        let public = PublicOrigin(Some("https://console.example.com/".into()));
        let through_proxy = headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "https://console.example.com"),
        ]);
        assert_eq!(verdict(&through_proxy, &public), Ok(()));
        let direct = headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://127.0.0.1:3000"),
        ]);
        assert_eq!(verdict(&direct, &public), Err(Refusal::ForeignOrigin));
    }
}
