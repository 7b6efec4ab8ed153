//! The shape the README promises: one folder per screen, and screens use
//! each other only through their services, never each other's storage.

use std::path::{Path, PathBuf};

/// The screen folders under `app/src`.
const SCREENS: [&str; 8] = [
    "accounts",
    "activity",
    "ai_settings",
    "api_access",
    "features",
    "members",
    "model_provider",
    "models",
];

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("screen folder exists") {
        let path = entry.expect("readable folder").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
    files
}

#[test]
fn no_screen_reaches_into_another_screens_storage() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut violations = Vec::new();
    for screen in SCREENS {
        for file in rust_files(&src.join(screen)) {
            let code = std::fs::read_to_string(&file).expect("readable source");
            for other in SCREENS.iter().filter(|other| **other != screen) {
                if code.contains(&format!("{other}::store")) {
                    violations.push(format!("{} uses {other}::store", file.display()));
                }
            }
        }
    }
    assert!(
        violations.is_empty(),
        "use the other screen's service instead:\n{}",
        violations.join("\n")
    );
}

#[test]
fn every_screen_has_its_own_folder() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for screen in SCREENS {
        assert!(src.join(screen).join("mod.rs").is_file(), "{screen}/mod.rs");
    }
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
