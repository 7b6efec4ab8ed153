//! The first-admin setup link of a server started by a service manager
//! (no terminal): it must reach the operator without reaching the log.

use super::processes::{create_admin, start_server, Shared};
use app::model_provider::cipher::MasterKeys;

#[tokio::test]
async fn without_a_terminal_the_setup_link_goes_to_a_private_file_not_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let database_url = crate::support::database::fresh_database_url(dir.path()).await;
    let shared = Shared {
        master_key: MasterKeys::generate_entry(),
        openai: "http://127.0.0.1:9/v1".into(),
    };
    let data_dir = dir.path().join("server");
    let output = dir.path().join("output.log");
    std::fs::create_dir_all(&data_dir).unwrap();
    let log = std::fs::File::create(&output).unwrap();
    let server = start_server(&data_dir, &database_url, &shared, Some(&log)).await;
    let file = data_dir.join("first-admin-link.txt");
    let link = std::fs::read_to_string(&file).expect("the link is in the data directory");
    assert!(
        link.trim()
            .starts_with(&format!("{}/setup?token=", server.base)),
        "{link}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let printed = std::fs::read_to_string(&output).unwrap();
    assert!(!printed.contains("token="), "{printed}");
    assert!(printed.contains("first-admin-link.txt"), "{printed}");
    drop(server);

    // Once an admin exists, the next start removes the stale file.
    create_admin(dir.path(), &database_url, &shared);
    let _again = start_server(&data_dir, &database_url, &shared, None).await;
    assert!(!file.exists(), "the used-up link's file is gone");
}
