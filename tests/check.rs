//! `lahiapu check`: every rule against a broken fixture, the shipped knowledge base, and
//! the command line a maintainer uses.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use lahiapu::knowledge;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).unwrap();
        }
    }
}

/// A small valid knowledge base: the shipped categories and areas, one crisis line.
fn base_knowledge() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(ROOT);
    copy_dir(&root.join("knowledge/areas"), &dir.path().join("areas"));
    fs::copy(root.join("knowledge/categories.toml"), dir.path().join("categories.toml")).unwrap();
    copy_dir(&root.join("tests/fixtures/check/base"), dir.path());
    dir
}

fn diagnostics_for(case: &Path) -> Vec<String> {
    let dir = base_knowledge();
    copy_dir(&case.join("services"), &dir.path().join("services"));
    let report = knowledge::load(dir.path(), today()).unwrap();
    report
        .diagnostics
        .iter()
        .map(|d| d.to_string().strip_prefix(&format!("{}/", dir.path().display())).unwrap().to_owned())
        .collect()
}

#[test]
fn the_base_fixture_is_clean() {
    let dir = base_knowledge();
    let report = knowledge::load(dir.path(), today()).unwrap();
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    assert_eq!(report.knowledge.services.len(), 1);
}

#[test]
fn every_rule_reports_its_broken_fixture_with_line_and_column() {
    let cases_dir = Path::new(ROOT).join("tests/fixtures/check");
    let mut cases: Vec<PathBuf> = fs::read_dir(&cases_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("expect.txt").is_file())
        .collect();
    cases.sort();
    assert!(cases.len() >= 15, "expected a fixture per rule, found {}", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let expected: Vec<String> =
            fs::read_to_string(case.join("expect.txt")).unwrap().lines().map(str::to_owned).collect();
        let actual = diagnostics_for(case);
        let matches =
            actual.len() == expected.len() && actual.iter().zip(&expected).all(|(a, e)| a.starts_with(e.as_str()));
        if !matches {
            failures.push(format!(
                "{}:\n  expected:\n    {}\n  actual:\n    {}",
                case.display(),
                expected.join("\n    "),
                actual.join("\n    ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_category_word_written_twice_is_a_warning_at_the_second() {
    let dir = base_knowledge();
    let file = dir.path().join("categories.toml");
    let text = fs::read_to_string(&file).unwrap();
    let twice = text.replacen("\"someone to talk to\",", "\"someone to talk to\", \"LONELY\",", 1);
    assert_ne!(twice, text, "the shipped mental-health words have \"someone to talk to\"");
    fs::write(&file, twice).unwrap();
    let report = knowledge::load(dir.path(), today()).unwrap();
    let lines: Vec<String> = report.diagnostics.iter().map(|d| d.to_string()).collect();
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(lines[0].contains("warning: `LONELY` is already word"), "{}", lines[0]);
    assert!(lines[0].contains("of `mental-health`'s `synonyms.en`"), "{}", lines[0]);
}

#[test]
fn a_file_with_an_error_contributes_nothing() {
    let case = Path::new(ROOT).join("tests/fixtures/check/invalid-phone");
    let dir = base_knowledge();
    copy_dir(&case.join("services"), &dir.path().join("services"));
    let report = knowledge::load(dir.path(), today()).unwrap();
    assert_eq!(report.errors(), 1);
    assert!(report.knowledge.service("bad-phone").is_none());
    assert!(report.knowledge.service("base-line").is_some());
    assert!(report.into_valid().unwrap_err().to_string().contains("bad-phone.toml:14:10"));
}

#[test]
fn the_shipped_knowledge_checks_clean() {
    // Against the real date, as `lahiapu check` runs: an entry checked after a pinned date
    // would read as checked in the future.
    let report = knowledge::load(&Path::new(ROOT).join("knowledge"), lahiapu::today_in_finland()).unwrap();
    let errors: Vec<String> =
        report.diagnostics.iter().filter(|d| d.severity == knowledge::Severity::Error).map(|d| d.to_string()).collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn the_command_exits_zero_on_the_shipped_knowledge_and_non_zero_with_every_error_on_a_broken_copy() {
    let bin = env!("CARGO_BIN_EXE_lahiapu");
    let ok = Command::new(bin).args(["check", "--knowledge"]).arg(Path::new(ROOT).join("knowledge")).output().unwrap();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stdout));

    // A copy of the shipped knowledge with two broken files.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&Path::new(ROOT).join("knowledge"), dir.path());
    let cases = Path::new(ROOT).join("tests/fixtures/check");
    copy_dir(&cases.join("unknown-category/services"), &dir.path().join("services"));
    copy_dir(&cases.join("invalid-hours/services"), &dir.path().join("services"));
    let out = Command::new(bin).args(["check", "--knowledge"]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let errors: Vec<&str> = stdout.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(errors.len(), 2, "{stdout}");
    assert!(
        errors[0].ends_with(
            "services/national/bad-category.toml:3:30: error: unknown category `hme-help` (see categories.toml)"
        ),
        "{stdout}"
    );
    assert!(
        errors[1]
            .contains("services/national/bad-hours.toml:12:9: error: `ma-pe 9-15` is not valid opening_hours syntax"),
        "{stdout}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 error(s)"));
}
