//! Connections that would hold the console's descriptors for ever: one
//! that sends nothing, one that trickles a header line at a time, one
//! left idle after its answer, and more than the cap at once.

use axum::{routing::get, Router};
use server::listener::{serve, ConnectionLimits};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const HEADER_TIMEOUT: Duration = Duration::from_millis(600);

async fn listening(max_connections: usize) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = Router::new().route("/healthz", get(|| async { "ok\n" }));
    let limits = ConnectionLimits {
        header_timeout: HEADER_TIMEOUT,
        max_connections,
    };
    tokio::spawn(async move {
        serve(listener, app, limits, std::future::pending())
            .await
            .await
    });
    addr
}

/// How long until the server closed `stream` (reads end or fail), at
/// most `within`; `None` if it is still open then.
async fn closed_after(stream: &mut TcpStream, within: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut buffer = [0u8; 1024];
    loop {
        let left = within.checked_sub(started.elapsed())?;
        match tokio::time::timeout(left, stream.read(&mut buffer)).await {
            Err(_) => return None,
            Ok(Ok(0) | Err(_)) => return Some(started.elapsed()),
            Ok(Ok(_)) => {}
        }
    }
}

async fn healthz(addr: SocketAddr) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: console\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    answer
}

#[tokio::test]
async fn a_connection_that_sends_nothing_or_idles_after_its_answer_is_closed_after_the_header_timeout(
) {
    let addr = listening(16).await;
    let mut silent = TcpStream::connect(addr).await.unwrap();
    let closed = closed_after(&mut silent, HEADER_TIMEOUT * 4).await;
    assert!(
        closed.is_some_and(|after| after >= HEADER_TIMEOUT / 2),
        "a connection that sends nothing is closed after the timeout: {closed:?}"
    );

    let mut kept_alive = TcpStream::connect(addr).await.unwrap();
    kept_alive
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: console\r\n\r\n")
        .await
        .unwrap();
    let mut answer = [0u8; 256];
    let read = kept_alive.read(&mut answer).await.unwrap();
    assert!(String::from_utf8_lossy(&answer[..read]).starts_with("HTTP/1.1 200"));
    assert!(
        closed_after(&mut kept_alive, HEADER_TIMEOUT * 4)
            .await
            .is_some(),
        "an idle keep-alive connection is closed too"
    );
}

#[tokio::test]
async fn a_connection_that_trickles_its_headers_is_closed_though_it_keeps_sending() {
    let addr = listening(16).await;
    let mut slow = TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\n").await.unwrap();
    let started = Instant::now();
    let (mut reader, mut writer) = slow.split();
    let trickle = async {
        // One header line every 100 ms, never the blank line.
        while writer.write_all(b"X-Slow: 1\r\n").await.is_ok() {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    let mut buffer = [0u8; 256];
    let closed = async {
        loop {
            match reader.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    };
    tokio::select! {
        () = closed => {}
        () = trickle => {}
        () = tokio::time::sleep(HEADER_TIMEOUT * 5) => panic!("a trickling connection stayed open"),
    }
    assert!(started.elapsed() >= HEADER_TIMEOUT / 2);
}

#[tokio::test]
async fn connections_over_the_cap_are_closed_at_once_and_the_rest_are_served() {
    let addr = listening(3).await;
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(TcpStream::connect(addr).await.unwrap());
    }
    // Accepted in order: the three above hold every place.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut over = TcpStream::connect(addr).await.unwrap();
    let closed = closed_after(&mut over, HEADER_TIMEOUT / 2).await;
    assert!(
        closed.is_some(),
        "the connection over the cap is closed at once"
    );
    drop(held);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(healthz(addr).await.starts_with("HTTP/1.1 200"));
}
