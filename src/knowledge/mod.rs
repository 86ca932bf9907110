//! The knowledge base: the format of `knowledge/`, loading it, and checking it.
//!
//! [`load`] reads the whole folder and returns what it could load together with every
//! problem it found (never just the first), each with file, line and column. A file with an
//! error contributes nothing, so a half-valid service is never shown to a resident; callers
//! decide what errors mean (`lahiapu check` exits non-zero, the bot refuses to start or
//! keeps its previous knowledge on reload).

pub mod categories;
pub mod check;
pub mod coverage;
pub mod diag;
pub mod model;
pub mod reach;

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use toml::de::DeTable;

pub use categories::{Categories, Category, CrisisLines};
pub use coverage::{Coverage, coverage};
pub use diag::{Diagnostic, Severity};
pub use model::{Phone, Service, Text};
pub use reach::Channel;

use check::{Context, Scope};
use diag::{DocPath, Finding, Located, Seg};

use crate::doc_path;
use crate::geo::Gazetteer;

/// Everything the bot knows, validated.
#[derive(Debug, Clone)]
pub struct Knowledge {
    /// Every service that loaded without errors, active or not, ordered by path.
    pub services: Vec<Service>,
    pub categories: Categories,
    pub crisis: CrisisLines,
    pub gazetteer: Gazetteer,
}

impl Knowledge {
    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }
}

/// The result of reading a knowledge folder.
#[derive(Debug)]
pub struct LoadReport {
    pub knowledge: Knowledge,
    /// Every error and warning, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadReport {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count()
    }

    /// The knowledge if it has no errors; otherwise an error listing them.
    pub fn into_valid(self) -> Result<Knowledge> {
        let errors: Vec<String> =
            self.diagnostics.iter().filter(|d| d.severity == Severity::Error).map(|d| d.to_string()).collect();
        if errors.is_empty() {
            Ok(self.knowledge)
        } else {
            bail!("the knowledge base has {} error(s); run `lahiapu check`:\n{}", errors.len(), errors.join("\n"))
        }
    }
}

/// The knowledge folder shipped with the source, used when none is given.
pub fn default_dir() -> PathBuf {
    let here = PathBuf::from("knowledge");
    if here.join("categories.toml").is_file() { here } else { Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge") }
}

/// Reads and checks `dir`. Fails only when the folder itself cannot be read; problems in
/// files are reported in [`LoadReport::diagnostics`]. `today` dates the age warnings.
pub fn load(dir: &Path, today: NaiveDate) -> Result<LoadReport> {
    if !dir.is_dir() {
        bail!("knowledge folder {} does not exist", dir.display());
    }
    let gazetteer = Gazetteer::load(&dir.join("areas")).context("cannot read the areas of the knowledge base")?;
    let mut diagnostics = Vec::new();

    let categories = load_categories(&dir.join("categories.toml"), &mut diagnostics)?;
    let cx = Context { gazetteer: &gazetteer, categories: &categories, today };
    let services = load_services(&dir.join("services"), &cx, &mut diagnostics)?;
    let crisis = load_crisis(&dir.join("crisis.toml"), &services, &mut diagnostics)?;

    Ok(LoadReport { knowledge: Knowledge { services, categories, crisis, gazetteer }, diagnostics })
}

fn load_categories(file: &Path, diagnostics: &mut Vec<Diagnostic>) -> Result<Categories> {
    let text = read(file)?;
    let parsed = parse_document(file, &text, diagnostics, |f: &categories::CategoryFile| {
        let mut findings = Vec::new();
        let mut seen = HashMap::new();
        for (i, c) in f.category.iter().enumerate() {
            if let Some(first) = seen.insert(c.slug.as_str(), i) {
                findings.push(Finding::error(
                    doc_path!["category", i, "slug"],
                    format!("category `{}` is defined twice (first as entry {})", c.slug, first + 1),
                ));
            }
            for (lang, value) in [("fi", &c.name.fi), ("sv", &c.name.sv), ("en", &c.name.en)] {
                if value.is_none() {
                    findings.push(Finding::error(
                        doc_path!["category", i, "name", lang],
                        format!("category `{}` lacks `name.{lang}`", c.slug),
                    ));
                }
            }
            // A word written twice counts twice in the words' evidence (`search::profile`),
            // which no one means.
            for (lang, words) in [("fi", &c.synonyms.fi), ("sv", &c.synonyms.sv), ("en", &c.synonyms.en)] {
                let mut first = HashMap::new();
                for (j, word) in words.iter().enumerate() {
                    if let Some(k) = first.insert(word.to_lowercase(), j) {
                        findings.push(Finding::warning(
                            doc_path!["category", i, "synonyms", lang, j],
                            format!("`{word}` is already word {} of `{}`'s `synonyms.{lang}`", k + 1, c.slug),
                        ));
                    }
                }
            }
        }
        for slug in categories::REQUIRED_SLUGS {
            if !seen.contains_key(slug) {
                findings.push(Finding::error(DocPath::new(), format!("the required category `{slug}` is missing")));
            }
        }
        findings
    });
    Ok(Categories::new(parsed.map(|f| f.category).unwrap_or_default()))
}

fn load_services(root: &Path, cx: &Context<'_>, diagnostics: &mut Vec<Diagnostic>) -> Result<Vec<Service>> {
    let mut services: Vec<Service> = Vec::new();
    let mut first_file: HashMap<String, PathBuf> = HashMap::new();
    for entry in sorted_entries(root)? {
        if entry.is_file() {
            if entry.extension().is_some_and(|e| e == "toml") {
                diagnostics.push(whole_file(
                    &entry,
                    "service files belong in `national/` or a region folder such as `05-varsinais-suomi/`",
                ));
            }
            continue;
        }
        let folder = entry.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        let scope = match Scope::parse(&folder, cx.gazetteer) {
            Ok(scope) => scope,
            Err(why) => {
                diagnostics.push(whole_file(&entry, &why));
                continue;
            }
        };
        for file in sorted_entries(&entry)? {
            if !file.is_file() || file.extension().is_none_or(|e| e != "toml") {
                continue;
            }
            let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
            let text = read(&file)?;
            let parsed = parse_document(&file, &text, diagnostics, |service: &Service| {
                let mut findings = check::check_service(service, &stem, &scope, cx);
                if let Some(first) = first_file.get(&service.id) {
                    findings.push(Finding::error(
                        doc_path!["id"],
                        format!("duplicate id `{}`: also used by {}", service.id, first.display()),
                    ));
                }
                findings
            });
            if let Some(service) = parsed {
                first_file.insert(service.id.clone(), file.clone());
                services.push(service);
            }
        }
    }
    Ok(services)
}

fn load_crisis(file: &Path, services: &[Service], diagnostics: &mut Vec<Diagnostic>) -> Result<CrisisLines> {
    let text = read(file)?;
    let parsed = parse_document(file, &text, diagnostics, |lines: &CrisisLines| {
        let mut findings = Vec::new();
        for (kind, ids) in [("self-harm", &lines.self_harm), ("violence", &lines.violence)] {
            if ids.is_empty() {
                findings.push(Finding::error(doc_path![kind], format!("`{kind}` needs at least one crisis line")));
            }
            for (i, id) in ids.iter().enumerate() {
                match services.iter().find(|s| &s.id == id) {
                    None => {
                        findings.push(Finding::error(doc_path![kind, i], format!("no valid service with id `{id}`")))
                    }
                    Some(s) if !s.phone.iter().any(Phone::always_open) => {
                        findings.push(Finding::error(
                            doc_path![kind, i],
                            format!("`{id}` has no phone with hours = \"24/7\"; a crisis line must always answer"),
                        ));
                    }
                    Some(_) => {}
                }
            }
        }
        findings
    });
    Ok(parsed.unwrap_or_default())
}

/// Parses one TOML document into `T`, reporting syntax errors, type errors and every
/// unknown field, then the findings of `check`. Returns the value only if the file has no
/// errors.
fn parse_document<T: DeserializeOwned>(
    file: &Path,
    text: &str,
    diagnostics: &mut Vec<Diagnostic>,
    check: impl FnOnce(&T) -> Vec<Finding>,
) -> Option<T> {
    let (root, syntax_errors) = DeTable::parse_recoverable(text);
    let located = Located::new(file, text, Some(&root));
    let before = diagnostics.len();
    // After the first syntax error the parser's recovery mostly reports echoes of it, so
    // only the first one is shown.
    if let Some(e) = syntax_errors.first() {
        let offset = e.span().map_or(0, |s| s.start);
        diagnostics.push(located.place(Finding::error_at(offset, first_line(e.message()))));
        return None;
    }
    let mut unknown = Vec::new();
    let result: Result<T, _> =
        serde_ignored::deserialize(toml::de::Deserializer::from(root.clone()), |path| unknown.push(doc_path_of(&path)));
    let value = match result {
        Ok(value) => value,
        Err(e) => {
            let offset = e.span().map_or(0, |s| s.start);
            diagnostics.push(located.place(Finding::error_at(offset, first_line(e.message()))));
            return None;
        }
    };
    for path in unknown {
        let name = display_path(&path);
        diagnostics.push(located.place(Finding::error(path, format!("unknown field `{name}`")).at_key()));
    }
    diagnostics.extend(check(&value).into_iter().map(|f| located.place(f)));
    diagnostics[before..].sort_by_key(|d| (d.line, d.col));
    let has_errors = diagnostics[before..].iter().any(|d| d.severity == Severity::Error);
    (!has_errors).then_some(value)
}

fn doc_path_of(path: &serde_ignored::Path<'_>) -> DocPath {
    use serde_ignored::Path as P;
    match path {
        P::Root => DocPath::new(),
        P::Seq { parent, index } => {
            let mut p = doc_path_of(parent);
            p.push(Seg::Index(*index));
            p
        }
        P::Map { parent, key } => {
            let mut p = doc_path_of(parent);
            p.push(Seg::Key(key.clone()));
            p
        }
        P::Some { parent } | P::NewtypeStruct { parent } | P::NewtypeVariant { parent } => doc_path_of(parent),
    }
}

/// `phone[1].numbr`
fn display_path(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) if out.is_empty() => out.push_str(k),
            Seg::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or("invalid TOML").trim().to_owned()
}

fn whole_file(path: &Path, message: &str) -> Diagnostic {
    Diagnostic { file: path.to_owned(), line: 1, col: 1, severity: Severity::Error, message: message.to_owned() }
}

fn read(file: &Path) -> Result<String> {
    fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut entries = fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("cannot list {}", dir.display()))?;
    entries.sort();
    Ok(entries)
}
