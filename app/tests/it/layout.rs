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
