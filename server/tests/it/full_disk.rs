//! The database's disk filling up, on a real small filesystem (a tmpfs
//! the test mounts): writes are refused while it is full and never
//! acknowledged without being stored, `/readyz` says the console cannot
//! write, and once space is back it writes again by itself. Every write
//! it acknowledged is found by an outside reader after the process is
//! killed, and by the console after a restart.

use super::processes::{start_replica, with_first_admin, Browser, Replica};
use reqwest::{header, StatusCode};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A tmpfs of a few MiB, unmounted when dropped.
struct SmallDisk {
    path: PathBuf,
}

impl SmallDisk {
    /// Mounts one at `dir/disk`; `None` (and says so) where this machine
    /// does not let the tests mount.
    fn mount(dir: &Path) -> Option<Self> {
        let path = dir.join("disk");
        std::fs::create_dir_all(&path).unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=16m", "tmpfs"])
            .arg(&path)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if !mounted {
            eprintln!(
                "SKIPPED the full-disk test: this machine does not let it mount a small \
                 filesystem (mount -t tmpfs needs root)"
            );
            return None;
        }
        Some(Self { path })
    }

    /// Fills what is left with one file.
    fn fill(&self) {
        let mut filler = std::fs::File::create(self.path.join("filler")).unwrap();
        let chunk = vec![0u8; 16 * 1024];
        while filler.write_all(&chunk).is_ok() {}
        // The last bytes that fit.
        while filler.write_all(&[0u8; 512]).is_ok() {}
    }

    fn free(&self) {
        std::fs::remove_file(self.path.join("filler")).unwrap();
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
    }
}

/// Reports `count` usage events named `{batch}-…`: how many the console
/// acknowledged as new, else the refusal's status.
async fn report(base: &str, token: &str, batch: &str, count: usize) -> Result<i64, StatusCode> {
    // Dated now: the console takes events from the last 90 days only.
    let at = jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let events: Vec<serde_json::Value> = (0..count)
        .map(|n| {
            serde_json::json!({"id": format!("{batch}-{n}"), "at": at,
                               "feature": "assistant", "model": "gpt-4o",
                               "input_tokens": 100, "output_tokens": 10})
        })
        .collect();
    let response = reqwest::Client::new()
        .post(format!("{base}/api/v1/workspaces/default/usage"))
        .bearer_auth(token)
        .header(header::CONTENT_TYPE, "application/json")
        .body(serde_json::json!({ "events": events }).to_string())
        .send()
        .await
        .unwrap();
    let status = response.status();
    if status != StatusCode::OK {
        return Err(status);
    }
    let receipt: serde_json::Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    Ok(receipt["new"].as_i64().unwrap())
}

async fn ready(server: &Replica) -> StatusCode {
    reqwest::get(format!("{}/readyz", server.base))
        .await
        .unwrap()
        .status()
}

/// What was acknowledged so far.
#[derive(Default)]
struct Acknowledged {
    /// The switch as last saved, and its version.
    on: bool,
    version: i64,
    /// Usage events stored.
    events: i64,
}

impl Acknowledged {
    /// One save and one report; whether both were acknowledged.
    async fn try_both(
        &mut self,
        browser: &Browser,
        server: &Replica,
        token: &str,
        batch: &str,
    ) -> bool {
        let saved = browser
            .save_switch(&server.base, !self.on, self.version)
            .await
            .expect("an answer");
        if let Ok(version) = saved {
            (self.on, self.version) = (!self.on, version);
        }
        let reported = report(&server.base, token, batch, 10).await;
        if let Ok(new) = reported {
            self.events += new;
        }
        for refused in [saved.err(), reported.err()].into_iter().flatten() {
            assert_eq!(
                refused,
                StatusCode::SERVICE_UNAVAILABLE,
                "a write the disk cannot take is refused as unavailable"
            );
        }
        saved.is_ok() && reported.is_ok()
    }
}

/// The stored switch version and number of usage events, read by a
/// process of the test's own.
async fn stored(database_url: &str) -> (i64, i64) {
    let pool = app::db::connect(database_url).await.unwrap();
    let workspace = app::domain::WorkspaceId::new("default");
    let version = app::ai_settings::store::load_versions(&pool, &workspace)
        .await
        .unwrap()
        .ai_enabled
        .version;
    let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM usage_events")
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    (version, events)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_writes_and_once_freed_every_acknowledged_write_survives() {
    if std::env::var_os("TEST_DATABASE_URL").is_some() {
        // A property of the SQLite file; PostgreSQL's disk is its own.
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let Some(disk) = SmallDisk::mount(dir.path()) else {
        return;
    };
    let database_url = format!("sqlite://{}", disk.path.join("console.db").display());
    let shared = with_first_admin(dir.path(), &database_url, "http://127.0.0.1:9/v1".into());
    let server = start_replica(&dir.path().join("server"), &database_url, &shared).await;
    let mut browser = Browser::signed_in(&server).await;
    let token = browser.new_token(&server, "name=Reporter").await;

    let mut acknowledged = Acknowledged::default();
    for n in 0..3 {
        assert!(
            acknowledged
                .try_both(&browser, &server, &token, &format!("before-{n}"))
                .await
        );
    }

    disk.fill();
    let mut refused = 0;
    for n in 0..40 {
        if !acknowledged
            .try_both(&browser, &server, &token, &format!("full-{n}"))
            .await
        {
            refused += 1;
            // Though a small write may still fit, real ones do not.
            assert_eq!(
                ready(&server).await,
                StatusCode::SERVICE_UNAVAILABLE,
                "/readyz says the console cannot write"
            );
        }
    }
    assert!(refused > 0, "a full disk refuses writes");

    disk.free();
    // Space is back: the console writes again by itself, soon.
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut n = 0;
    while !acknowledged
        .try_both(&browser, &server, &token, &format!("freed-{n}"))
        .await
    {
        assert!(Instant::now() < deadline, "the console never wrote again");
        tokio::time::sleep(Duration::from_millis(200)).await;
        n += 1;
    }
    for n in 0..3 {
        let batch = format!("after-{n}");
        assert!(
            acknowledged
                .try_both(&browser, &server, &token, &batch)
                .await
        );
    }
    // Ready again by itself, once the last failure is a few seconds old.
    let deadline = Instant::now() + Duration::from_secs(10);
    while ready(&server).await != StatusCode::OK {
        assert!(Instant::now() < deadline, "/readyz never said ready again");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Signing in writes a session: it works again too.
    let mut again = Browser::new();
    let next = again
        .post(
            &server,
            "/api/account/sign-in",
            &super::processes::sign_in_form(),
        )
        .await;
    assert_eq!(next, "/settings/ai");

    let mut server = server;
    server.process.kill().unwrap(); // SIGKILL: what is acknowledged must be on disk
    server.process.wait().unwrap();
    assert_eq!(
        stored(&database_url).await,
        (acknowledged.version, acknowledged.events),
        "every acknowledged write was stored, and nothing else"
    );
    let restarted = start_replica(&dir.path().join("again"), &database_url, &shared).await;
    let browser = Browser::signed_in(&restarted).await;
    assert_eq!(
        browser
            .save_switch(&restarted.base, !acknowledged.on, acknowledged.version)
            .await,
        Some(Ok(acknowledged.version + 1)),
        "the restarted console saves on from the last acknowledged version"
    );
}
