//! Diagnostics with file, line and column, and how to find them in a TOML document.
//!
//! Checks name the place of a problem as a path of keys and indices (`phone[1].number`);
//! [`Located`] turns that path into a line and column using the spans the TOML parser
//! keeps. A path that does not exist (a missing field) points at its deepest existing
//! parent, so "missing `sv`" points at the `[name]` table that lacks it.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::DeTable;

/// How bad a finding is. Any error makes `lahiapu check` exit non-zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One problem in one file, printed as `path:line:col: error: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
    pub severity: Severity,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}: {}", self.file.display(), self.line, self.col, self.severity, self.message)
    }
}

/// One step of a path into a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A path into a document, written the way checks name places: `path!["phone", 1, "number"]`.
pub type DocPath = Vec<Seg>;

impl From<&str> for Seg {
    fn from(key: &str) -> Self {
        Seg::Key(key.to_owned())
    }
}

impl From<usize> for Seg {
    fn from(index: usize) -> Self {
        Seg::Index(index)
    }
}

/// Builds a [`DocPath`] from keys and indices.
#[macro_export]
macro_rules! doc_path {
    ($($seg:expr),* $(,)?) => {
        vec![$($crate::knowledge::diag::Seg::from($seg)),*]
    };
}

/// Whether a finding is about a key (an unknown field) or the value under it (a bad number).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Key,
    Value,
}

/// Where in a document a finding is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A path of keys and indices, resolved with the parser's spans.
    Path(DocPath, Target),
    /// A byte offset, as parser and type errors give it.
    Offset(usize),
}

/// A finding of a check, before it is given a line and column.
#[derive(Debug, Clone)]
pub struct Finding {
    pub place: Place,
    pub severity: Severity,
    pub message: String,
}

impl Finding {
    pub fn error(path: DocPath, message: impl Into<String>) -> Self {
        Self { place: Place::Path(path, Target::Value), severity: Severity::Error, message: message.into() }
    }

    pub fn warning(path: DocPath, message: impl Into<String>) -> Self {
        Self { place: Place::Path(path, Target::Value), severity: Severity::Warning, message: message.into() }
    }

    pub fn error_at(offset: usize, message: impl Into<String>) -> Self {
        Self { place: Place::Offset(offset), severity: Severity::Error, message: message.into() }
    }

    /// Points the finding at the key instead of its value.
    pub fn at_key(mut self) -> Self {
        if let Place::Path(_, target) = &mut self.place {
            *target = Target::Key;
        }
        self
    }
}

/// A parsed document with its file name, able to place findings.
pub struct Located<'a> {
    pub file: &'a Path,
    text: &'a str,
    root: Option<&'a Spanned<DeTable<'a>>>,
}

impl<'a> Located<'a> {
    pub fn new(file: &'a Path, text: &'a str, root: Option<&'a Spanned<DeTable<'a>>>) -> Self {
        Self { file, text, root }
    }

    /// Places a finding in the document.
    pub fn place(&self, finding: Finding) -> Diagnostic {
        let offset = match (&finding.place, self.root) {
            (Place::Offset(offset), _) => *offset,
            (Place::Path(path, target), Some(root)) => span_of(root, path, *target).start,
            (Place::Path(..), None) => 0,
        };
        let (line, col) = line_col(self.text, offset);
        Diagnostic { file: self.file.to_owned(), line, col, severity: finding.severity, message: finding.message }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = text[line_start..offset].chars().count() + 1;
    (line, col)
}

/// The span of the deepest part of `path` that exists in the document.
fn span_of(root: &Spanned<DeTable<'_>>, path: &[Seg], target: Target) -> Range<usize> {
    let mut span = root.span();
    // An empty document has an empty root span at its end; point at the start instead.
    if path.is_empty() || root.get_ref().is_empty() {
        return 0..0;
    }
    let mut table: Option<&DeTable<'_>> = Some(root.get_ref());
    let mut array: Option<&toml::de::DeArray<'_>> = None;
    for (i, seg) in path.iter().enumerate() {
        let last = i + 1 == path.len();
        let next = match seg {
            Seg::Key(key) => table.and_then(|t| t.iter().find(|(k, _)| k.get_ref() == key)).map(|(k, v)| {
                if last && target == Target::Key {
                    span = k.span();
                } else {
                    span = v.span();
                }
                v
            }),
            Seg::Index(index) => array.and_then(|a| a.get(*index)).inspect(|v| span = v.span()),
        };
        let Some(value) = next else { break };
        table = value.get_ref().as_table();
        array = value.get_ref().as_array();
    }
    // Array-of-tables entries and tables opened with a header can have spans that begin
    // on the header line; either way the span names the right line.
    span
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "id = \"x\"\n\n[name]\nfi = \"Nimi\"\n\n[[phone]]\nnumber = \"1\"\n\n[[phone]]\nnumber = \"2\"\n";

    fn place(path: DocPath, target: Target) -> (usize, usize) {
        let root = DeTable::parse(DOC).unwrap();
        let located = Located::new(Path::new("x.toml"), DOC, Some(&root));
        let finding = Finding::error(path, "m");
        let finding = if target == Target::Key { finding.at_key() } else { finding };
        let d = located.place(finding);
        (d.line, d.col)
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        assert_eq!(line_col("ab\nåäö = 1", 10), (2, 5));
        assert_eq!(line_col("", 0), (1, 1));
    }

    #[test]
    fn values_keys_and_missing_paths_are_placed() {
        assert_eq!(place(doc_path!["id"], Target::Value), (1, 6));
        assert_eq!(place(doc_path!["id"], Target::Key), (1, 1));
        assert_eq!(place(doc_path!["name", "fi"], Target::Value), (4, 6));
        assert_eq!(place(doc_path!["phone", 1, "number"], Target::Value), (10, 10));
        // A missing key points at its parent table.
        assert_eq!(place(doc_path!["name", "sv"], Target::Value).0, 3);
        // A missing top-level key points at the start of the file.
        assert_eq!(place(doc_path!["source", "url"], Target::Value), (1, 1));
    }

    #[test]
    fn display_is_path_line_col_severity_message() {
        let d = Diagnostic {
            file: PathBuf::from("knowledge/services/national/x.toml"),
            line: 3,
            col: 7,
            severity: Severity::Error,
            message: "unknown category `foo`".into(),
        };
        assert_eq!(d.to_string(), "knowledge/services/national/x.toml:3:7: error: unknown category `foo`");
    }
}
