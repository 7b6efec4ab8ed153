//! The configuration table in `docs/configuration.md` is the whole truth:
//! every variable the code reads is in it, everything in it is read, and
//! `server --help` prints it with the defaults.

use server::cli::documented_variables;
use std::collections::BTreeSet;
use std::path::Path;

/// Read by libraries rather than by a name in our code: Leptos reads the
/// site's address and directory, the log filter reads `RUST_LOG`.
const READ_BY_LIBRARIES: [&str; 3] = ["LEPTOS_SITE_ADDR", "LEPTOS_SITE_ROOT", "RUST_LOG"];

fn documented() -> BTreeSet<String> {
    documented_variables()
        .into_iter()
        .flat_map(|variable| variable.names)
        .collect()
}

/// Every `"AI_…"` and `"DATABASE_URL"` string in the Rust sources below
/// `dir`.
fn named_in_code(dir: &Path, found: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            named_in_code(&path, found);
            continue;
        }
        if path.extension().is_none_or(|ext| ext != "rs") {
            continue;
        }
        let code = std::fs::read_to_string(&path).unwrap();
        for literal in code.split('"').skip(1).step_by(2) {
            let is_name = literal
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
            if is_name && (literal.starts_with("AI_") || literal == "DATABASE_URL") {
                found.insert(literal.to_string());
            }
        }
    }
}

#[test]
fn every_variable_the_code_reads_is_documented_and_every_documented_one_is_read() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut read = BTreeSet::new();
    named_in_code(&root.join("server/src"), &mut read);
    named_in_code(&root.join("app/src"), &mut read);
    let documented = documented();
    assert!(documented.len() > 40, "table read: {documented:?}");
    let undocumented: Vec<_> = read.difference(&documented).collect();
    assert!(
        undocumented.is_empty(),
        "add to docs/configuration.md: {undocumented:?}"
    );
    let unread: Vec<_> = documented
        .iter()
        .filter(|name| !read.contains(*name) && !READ_BY_LIBRARIES.contains(&name.as_str()))
        .collect();
    assert!(unread.is_empty(), "documented but never read: {unread:?}");
}

#[test]
fn help_lists_every_variable_with_its_default() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for variable in documented_variables() {
        let names = variable.names.join(", ");
        assert!(
            help.contains(&format!("  {names}\n      default: {}\n", variable.default)),
            "--help shows {names} with its default {:?}:\n{help}",
            variable.default
        );
    }
    assert!(help.contains("  AI_PLAN\n      default: team\n"), "{help}");
}
