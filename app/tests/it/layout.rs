//! Screens use each other only through their services, never each
//! other's storage; every change goes through the one write path; every
//! refusal type reads back from its code. (The layers and cycles are
//! `layers.rs`.)

use super::layers::rust_files;
use std::path::{Path, PathBuf};

/// The folders under `app/src` that keep a store: the screens, as the
/// tree has them.
fn screens_with_stores(src: &Path) -> Vec<String> {
    let mut screens: Vec<String> = std::fs::read_dir(src)
        .expect("src")
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.join("store.rs").is_file())
        .filter_map(|path| Some(path.file_name()?.to_string_lossy().to_string()))
        .collect();
    screens.sort();
    screens
}

#[test]
fn no_screen_reaches_into_another_screens_storage() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let screens = screens_with_stores(&src);
    assert!(screens.len() >= 8, "screens with a store: {screens:?}");
    let mut violations = Vec::new();
    for (file, code) in sources(&src) {
        let folder = file
            .strip_prefix(&src)
            .ok()
            .and_then(|relative| relative.iter().next())
            .map(|first| first.to_string_lossy().trim_end_matches(".rs").to_string())
            .unwrap_or_default();
        for screen in screens.iter().filter(|screen| **screen != folder) {
            let named = code
                .match_indices(&format!("{screen}::store"))
                .any(|(at, found)| {
                    let after = code[at + found.len()..].chars().next();
                    !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
                });
            if named {
                violations.push(format!("{} uses {screen}::store", file.display()));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "use the other screen's service instead:\n{}",
        violations.join("\n")
    );
}

/// Every Rust file below `dir`, as (path, text).
fn sources(dir: &Path) -> Vec<(PathBuf, String)> {
    rust_files(dir)
        .into_iter()
        .map(|file| {
            let code = std::fs::read_to_string(&file).expect("readable source");
            (file, code)
        })
        .collect()
}

#[test]
fn every_change_goes_through_the_one_write_path() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let db = root.join("src").join("db");
    let mut violations = Vec::new();
    for dir in [root.join("src"), root.join("../server/src")] {
        for (file, code) in sources(&dir) {
            // The database module is the write path. Moving a whole SQLite
            // database into PostgreSQL is an offline copy between two
            // native connections, not a change of the console's data.
            if file.starts_with(&db) || file.ends_with("move_database.rs") {
                continue;
            }
            for (number, line) in code.lines().enumerate() {
                if line.contains(".begin()") || line.contains("write_turn") {
                    violations.push(format!(
                        "{}:{}: {}",
                        file.display(),
                        number + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    assert!(
        violations.is_empty(),
        "write through app::db::write (or commit, write_policy, read) instead:\n{}",
        violations.join("\n")
    );
}

#[test]
fn the_refusal_round_trip_covers_every_refusal_type() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let boundary = std::fs::read_to_string(src.join("boundary.rs")).expect("boundary.rs");
    let round_trip = boundary
        .split("fn every_screens_refusals_read_back_from_their_codes")
        .nth(1)
        .expect("the round-trip test is in boundary.rs");
    let mut declared = Vec::new();
    for (_, code) in sources(&src) {
        for declaration in code.split("\nrefusals! {").skip(1) {
            let name = declaration
                .split("enum ")
                .nth(1)
                .and_then(|rest| rest.split_whitespace().next())
                .expect("a refusals! block declares an enum");
            declared.push(name.to_string());
        }
    }
    assert!(declared.len() >= 8, "refusal types found: {declared:?}");
    let missing: Vec<_> = declared
        .iter()
        .filter(|name| {
            !round_trip.contains(&format!("::{name}>"))
                && !round_trip.contains(&format!("<{name}>"))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "add these to boundary.rs's round trip: {missing:?}"
    );
}
