//! Serving connections: the console's routes behind hyper, with the bounds
//! `axum::serve` does not set. A connection must send a whole request
//! head within the header timeout, counted from when it opened or from
//! its previous answer (so the same bound closes idle keep-alive
//! connections and ones that trickle a header line at a time); at most
//! `max_connections` are open at once (more are closed as they arrive,
//! so descriptors stay for the ones being served); and a stop lets the
//! open requests finish while new connections are refused.

use crate::security::host::ArrivedAt;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower::Service;

/// What a connection may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// To send a request head, from opening or from the last answer.
    pub header_timeout: Duration,
    /// Open connections at once.
    pub max_connections: usize,
}

/// Serves `app` on `listener` until `stop` completes; then stops
/// accepting and returns what waits for the open connections to finish
/// (each is asked to close after its current answer).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    stop: impl Future<Output = ()>,
) -> impl Future<Output = ()> {
    // HTTP/1.1 only (a proxy in front speaks it to the console): the
    // automatic HTTP/2 detection reads a connection's first bytes with no
    // timeout at all, which would let a silent connection stay for ever.
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let graceful = GracefulShutdown::new();
    let open = Arc::new(tokio::sync::Semaphore::new(limits.max_connections));
    tokio::pin!(stop);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of descriptors, mostly: wait for some to close.
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let Ok(permit) = open.clone().try_acquire_owned() else {
            crate::metrics::connection_refused();
            continue;
        };
        let _ = stream.set_nodelay(true);
        let arrived_at = stream.local_addr().ok().map(ArrivedAt);
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<_>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            if let Some(arrived_at) = arrived_at {
                request.extensions_mut().insert(arrived_at);
            }
            app.clone().call(request.map(axum::body::Body::new))
        });
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            // A client that goes away or times out ends its connection;
            // nothing to report.
            let _ = connection.await;
            drop(permit);
        });
    }
    drop(listener);
    graceful.shutdown()
}
