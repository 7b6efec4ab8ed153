//! The shape `docs/architecture.md` promises, read from the tree itself:
//! layers that import only downwards, no import cycle between modules,
//! every table named by the SQL of one folder only, and every change
//! through the one write path.
//!
//! A file's layer is the `//! Layer: <name>.` line of its own doc comment,
//! else its folder's (the folder's `mod.rs`), else: a file with pages,
//! sections, islands or server functions is a door, anything else in a
//! screen's folder is the screen's own (rules, store, service).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, bottom first.
const LAYERS: [&str; 6] = [
    "domain",
    "platform",
    "screens",
    "use cases",
    "doors",
    "shell",
];

/// One module: the file and what it says.
struct Module {
    file: PathBuf,
    /// The code without comments and without its test module.
    code: String,
    /// The doc comment's layer line, if any.
    marker: Option<String>,
    is_folder_root: bool,
}

/// Every module of the crate whose source is `src`, by path
/// (`budget::service`; the crate root is "").
fn modules(src: &Path) -> BTreeMap<String, Module> {
    let mut found = BTreeMap::new();
    for file in rust_files(src) {
        let relative = file.strip_prefix(src).expect("inside src");
        let mut parts: Vec<String> = relative
            .iter()
            .map(|part| part.to_string_lossy().trim_end_matches(".rs").to_string())
            .collect();
        let is_folder_root = parts.last().is_some_and(|last| last == "mod");
        if is_folder_root || parts == ["lib"] || parts == ["main"] {
            parts.pop();
        }
        let text = std::fs::read_to_string(&file).expect("readable source");
        let marker = text
            .lines()
            .take_while(|line| line.starts_with("//!"))
            .find_map(|line| line.strip_prefix("//! Layer: "))
            .map(|layer| layer.split('.').next().unwrap_or(layer).to_string());
        found.insert(
            parts.join("::"),
            Module {
                file,
                code: without_comments_and_tests(&text),
                marker,
                is_folder_root,
            },
        );
    }
    found
}

/// Every Rust file below `dir`, sorted.
pub(crate) fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("readable folder") {
        let path = entry.expect("readable entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The code a module compiles outside its tests, without comments.
fn without_comments_and_tests(text: &str) -> String {
    let code = match text.find("#[cfg(test)]\nmod tests") {
        Some(start) => &text[..start],
        None => match text.find("#[cfg(all(test") {
            Some(start) => &text[..start],
            None => text,
        },
    };
    code.lines()
        .map(|line| match line.find("//") {
            // `//` inside a string (a URL) is no comment.
            Some(at) if line[..at].matches('"').count() % 2 == 0 => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The module paths `code` names: `crate::a::b`, `use crate::a::{b, c}`,
/// `super::x` (relative to `parent`).
fn named_paths(code: &str, parent: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for (prefix, base) in [("crate::", String::new()), ("super::", parent.to_string())] {
        let mut rest = code;
        while let Some(at) = rest.find(prefix) {
            let before = rest[..at].chars().last();
            rest = &rest[at + prefix.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let path: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let path = path.trim_end_matches(':');
            let full = match (base.is_empty(), path.is_empty()) {
                (true, _) => path.to_string(),
                (false, true) => base.clone(),
                (false, false) => format!("{base}::{path}"),
            };
            if !full.is_empty() {
                paths.push(full.clone());
            }
            // `use crate::a::{b, c::d}` and `use super::{b, c}`: each item too.
            let after = rest[path.len()..].trim_start_matches(':');
            if let Some(group) = after.strip_prefix('{') {
                let group = &group[..group.find('}').unwrap_or(0)];
                for item in group.split([',', '{']) {
                    let item = item.split_whitespace().next().unwrap_or("");
                    if !item.is_empty() && item != "self" && item != "*" {
                        paths.push(if full.is_empty() {
                            item.to_string()
                        } else {
                            format!("{full}::{item}")
                        });
                    }
                }
            }
        }
    }
    paths
}

/// The module a path names: the longest prefix that is a module, followed
/// through a folder's `pub use child::…Name` re-export.
fn resolve(modules: &BTreeMap<String, Module>, path: &str) -> Option<String> {
    let parts: Vec<&str> = path.split("::").collect();
    for length in (1..=parts.len()).rev() {
        let candidate = parts[..length].join("::");
        let Some(module) = modules.get(&candidate) else {
            continue;
        };
        if module.is_folder_root && length < parts.len() && !parts[length].is_empty() {
            let name = parts[length];
            for line in module.code.lines() {
                let Some(used) = line.trim().strip_prefix("pub use ") else {
                    continue;
                };
                let child = used.split("::").next().unwrap_or("");
                let names_it = used
                    .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .any(|word| word == name);
                let child_module = format!("{candidate}::{child}");
                if names_it && modules.contains_key(&child_module) {
                    return Some(child_module);
                }
            }
        }
        return Some(candidate);
    }
    None
}

/// What each module imports (other modules; not its own folder's root).
fn imports(modules: &BTreeMap<String, Module>) -> BTreeMap<String, BTreeSet<String>> {
    let mut edges = BTreeMap::new();
    for (name, module) in modules {
        let parent = match name.rsplit_once("::") {
            Some((parent, _)) => parent.to_string(),
            None => String::new(),
        };
        let targets: BTreeSet<String> = named_paths(&module.code, &parent)
            .iter()
            .filter_map(|path| resolve(modules, path))
            .filter(|target| {
                let own_ancestor = name.starts_with(&format!("{target}::"));
                // A folder's root lists its own children.
                let own_child = module.is_folder_root && target.starts_with(&format!("{name}::"));
                !(target.is_empty() || target == name || own_ancestor || own_child)
            })
            .collect();
        edges.insert(name.clone(), targets);
    }
    edges
}

/// A module's layer (see the top of this file).
fn layer_of(modules: &BTreeMap<String, Module>, name: &str) -> String {
    let module = &modules[name];
    if let Some(marker) = &module.marker {
        return marker.clone();
    }
    if name.is_empty() {
        return "shell".into();
    }
    let folder = name.split("::").next().unwrap_or(name);
    let is_door = module
        .file
        .components()
        .any(|part| part.as_os_str() == "server_fns")
        || ["#[component]", "#[island]", "#[server"]
            .iter()
            .any(|mark| module.code.contains(mark));
    if is_door {
        return "doors".into();
    }
    match modules.get(folder).and_then(|root| root.marker.clone()) {
        Some(marker) if folder != name => marker,
        _ => "screens".into(),
    }
}

fn rank(layer: &str, module: &str) -> usize {
    LAYERS
        .iter()
        .position(|known| *known == layer)
        .unwrap_or_else(|| panic!("{module}: unknown layer {layer:?}; one of {LAYERS:?}"))
}

/// Groups of modules that import each other, round in a circle.
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    // Tarjan's strongly connected components.
    struct Walk<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        found: Vec<Vec<String>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, node: &'a str) {
            let next = self.index.len();
            self.index.insert(node, next);
            self.low.insert(node, next);
            self.stack.push(node);
            self.on_stack.insert(node);
            for target in self.edges.get(node).into_iter().flatten() {
                let target = target.as_str();
                if !self.index.contains_key(target) {
                    self.visit(target);
                    let low = self.low[node].min(self.low[target]);
                    self.low.insert(node, low);
                } else if self.on_stack.contains(target) {
                    let low = self.low[node].min(self.index[target]);
                    self.low.insert(node, low);
                }
            }
            if self.low[node] == self.index[node] {
                let mut group = Vec::new();
                while let Some(member) = self.stack.pop() {
                    self.on_stack.remove(member);
                    group.push(member.to_string());
                    if member == node {
                        break;
                    }
                }
                if group.len() > 1 {
                    group.sort();
                    self.found.push(group);
                }
            }
        }
    }
    let mut walk = Walk {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for node in edges.keys() {
        if !walk.index.contains_key(node.as_str()) {
            walk.visit(node);
        }
    }
    walk.found
}

fn app_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn server_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../server/src")
}

#[test]
fn no_module_imports_a_module_that_imports_it_back() {
    for src in [app_src(), server_src()] {
        let modules = modules(&src);
        assert!(modules.len() > 10, "modules read from {}", src.display());
        let edges = imports(&modules);
        let found = cycles(&edges);
        let described: Vec<String> = found
            .iter()
            .map(|group| {
                group
                    .iter()
                    .map(|member| {
                        let within: Vec<&str> = edges[member]
                            .iter()
                            .filter(|target| group.contains(target))
                            .map(String::as_str)
                            .collect();
                        format!("  {member} imports {}", within.join(", "))
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .collect();
        assert!(
            found.is_empty(),
            "import cycles in {}:\n{}",
            src.display(),
            described.join("\n\n")
        );
    }
}

#[test]
fn no_module_imports_a_layer_above_its_own() {
    let modules = modules(&app_src());
    let mut upward = Vec::new();
    for (from, targets) in imports(&modules) {
        let from_layer = layer_of(&modules, &from);
        for target in targets {
            let target_layer = layer_of(&modules, &target);
            if rank(&target_layer, &target) > rank(&from_layer, &from) {
                upward.push(format!(
                    "{from} ({from_layer}) imports {target} ({target_layer})"
                ));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "layers import only downwards (docs/architecture.md):\n{}",
        upward.join("\n")
    );
    // The guard reads what it should: the layers are all in use.
    let used: BTreeSet<String> = modules
        .keys()
        .map(|name| layer_of(&modules, name))
        .collect();
    assert_eq!(used.len(), LAYERS.len(), "layers found: {used:?}");
}

#[test]
fn the_domain_imports_nothing_but_the_domain() {
    let modules = modules(&app_src());
    let edges = imports(&modules);
    for (name, targets) in &edges {
        if layer_of(&modules, name) != "domain" {
            continue;
        }
        for target in targets {
            assert_eq!(
                layer_of(&modules, target),
                "domain",
                "{name} is pure domain, but imports {target}"
            );
        }
    }
}

/// The tables the migrations create.
fn tables() -> Vec<String> {
    let migrations = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite");
    let mut tables = BTreeSet::new();
    for entry in std::fs::read_dir(migrations).expect("migrations") {
        let sql = std::fs::read_to_string(entry.expect("entry").path()).expect("readable");
        let mut rest = sql.as_str();
        while let Some(at) = rest.find("CREATE TABLE ") {
            rest = &rest[at + "CREATE TABLE ".len()..];
            let rest_name = rest.trim_start_matches("IF NOT EXISTS ");
            let name: String = rest_name
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.ends_with("_old") && !name.ends_with("_new") {
                tables.insert(name);
            }
        }
    }
    tables.into_iter().collect()
}

/// The SQL in `code`: its string literals that read or write.
fn sql_of(code: &str) -> Vec<&str> {
    code.split('"')
        .skip(1)
        .step_by(2)
        .filter(|text| {
            ["SELECT ", "INSERT ", "UPDATE ", "DELETE "]
                .iter()
                .any(|verb| text.contains(verb))
        })
        .collect()
}

fn names_table(sql: &str, table: &str) -> bool {
    sql.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .any(|word| word == table)
}

#[test]
fn every_table_is_named_by_one_folder_only() {
    let modules = modules(&app_src());
    let tables = tables();
    assert!(tables.len() > 15, "tables read: {tables:?}");
    let mut named_by: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (name, module) in &modules {
        let folder = name.split("::").next().unwrap_or(name);
        for sql in sql_of(&module.code) {
            for table in &tables {
                if names_table(sql, table) {
                    named_by.entry(table).or_default().insert(folder);
                }
            }
        }
    }
    let shared: Vec<String> = named_by
        .iter()
        .filter(|(_, folders)| folders.len() > 1)
        .map(|(table, folders)| format!("{table}: {folders:?}"))
        .collect();
    assert!(
        shared.is_empty(),
        "a table belongs to one folder; others ask its service:\n{}",
        shared.join("\n")
    );
}
