//! The knowledge reload at 10 000 entries on disk: how long `lahiapu run` takes to read,
//! validate and build a changed knowledge folder and swap it in, and the peak resident
//! memory while the old and the new index are both alive. Run with
//! `cargo bench --bench reload`; figures in docs/performance.md.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use lahiapu::assistant::Assistant;
use lahiapu::knowledge;
use lahiapu::ops::reload::{Live, Outcome};

fn main() {
    let (copies, rounds) = if std::env::args().any(|a| a == "--bench") { (10_000, 3) } else { (50, 1) };
    let dir = tempfile::tempdir().expect("a temporary folder");
    copy_dir(&knowledge::default_dir(), dir.path());
    let national = dir.path().join("services/national");
    let originals: Vec<_> = std::fs::read_dir(&national).expect("services").map(|e| e.expect("entry").path()).collect();
    for i in 0..copies {
        let from = &originals[i % originals.len()];
        let id = from.file_stem().expect("a stem").to_string_lossy().to_string();
        let text = std::fs::read_to_string(from).expect("readable").replacen(
            &format!("id = \"{id}\""),
            &format!("id = \"{id}-{i}\""),
            1,
        );
        std::fs::write(national.join(format!("{id}-{i}.toml")), text).expect("writable");
    }
    let k = knowledge::load(dir.path(), lahiapu::today_in_finland()).expect("loads").into_valid().expect("valid");
    let entries = k.services.len();
    let started = Instant::now();
    let live = Live::new(Arc::new(Assistant::new(k, Assistant::load_voikko()).expect("builds")), dir.path());
    println!(
        "entries {entries}, voikko {}, first build {:.2} s",
        live.current().has_voikko(),
        started.elapsed().as_secs_f64()
    );
    let before = status_kb("VmHWM");
    for round in 0..rounds {
        // Questions keep a reference to the old index while the new one is built.
        let old = live.current();
        let t = Instant::now();
        let outcome = live.reload();
        let took = t.elapsed();
        assert!(matches!(outcome, Outcome::Reloaded { .. }), "{outcome:?}");
        drop(old);
        println!("reload {round}: {:.2} s, peak resident memory {} MB", took.as_secs_f64(), status_kb("VmHWM") / 1000);
    }
    println!("peak before the reloads {} MB, after {} MB", before / 1000, status_kb("VmHWM") / 1000);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a folder");
    for entry in std::fs::read_dir(from).expect("readable") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copied");
        }
    }
}

fn status_kb(key: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}
