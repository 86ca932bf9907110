//! Every shipped entry a resident can be shown says how to reach it, and none loses the way
//! in that it has: `tests/golden/reachable.txt` lists the entries that give a channel today.

use std::collections::BTreeSet;
use std::path::Path;

use lahiapu::knowledge::{self, model::Reach};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn shipped() -> knowledge::Knowledge {
    // The real date, as the bot loads it: an entry checked after a pinned date would be
    // checked in the future.
    knowledge::load(&Path::new(ROOT).join("knowledge"), lahiapu::today_in_finland()).unwrap().into_valid().unwrap()
}

fn pinned() -> BTreeSet<String> {
    std::fs::read_to_string(Path::new(ROOT).join("tests/golden/reachable.txt"))
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

#[test]
fn no_shipped_entry_loses_its_channel() {
    let k = shipped();
    let pinned = pinned();
    assert!(pinned.len() >= 100, "the list is the regression contract; it has {}", pinned.len());
    let lost: Vec<&String> =
        pinned.iter().filter(|id| !k.service(id).is_some_and(|s| s.is_active() && s.is_reachable())).collect();
    assert!(lost.is_empty(), "these entries lost their last channel (or were removed): {lost:?}");
}

#[test]
fn an_active_entry_without_a_channel_says_why() {
    let k = shipped();
    for s in k.services.iter().filter(|s| s.is_active() && !s.is_reachable()) {
        assert_eq!(s.reach, Some(Reach::NonePublished), "{}", s.id);
        let note = s.reach_note.as_ref().unwrap_or_else(|| panic!("{} has no reach_note", s.id));
        assert!(note.fi.is_some() && note.sv.is_some(), "{}: the note needs fi and sv", s.id);
    }
    // New reachable entries belong in the pinned list, so that they too keep their channels.
    let pinned = pinned();
    let missing: Vec<&str> = k
        .services
        .iter()
        .filter(|s| s.is_active() && s.is_reachable() && !pinned.contains(&s.id))
        .map(|s| s.id.as_str())
        .collect();
    assert!(missing.is_empty(), "add these reachable entries to tests/golden/reachable.txt: {missing:?}");
}
