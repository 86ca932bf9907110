//! Crisis detection against the golden crisis set (`tests/golden/crisis.jsonl`) and the
//! crisis flags of the golden questions and the real questions for development: recall
//! must be 100 %, and no false alarms.

use lahiapu::safety;
use serde_json::Value;

fn lines(path: &str) -> Vec<Value> {
    std::fs::read_to_string(format!("{}/tests/golden/{path}", env!("CARGO_MANIFEST_DIR")))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn every_risk_to_life_is_caught_and_near_misses_are_not() {
    let mut misses = Vec::new();
    let mut false_alarms = Vec::new();
    let items: Vec<Value> =
        ["crisis.jsonl", "questions.jsonl", "heldout.jsonl", "real-dev.jsonl"].into_iter().flat_map(lines).collect();
    let mut positives = 0;
    for item in &items {
        let q = item["q"].as_str().unwrap();
        let want = item["crisis"].as_bool().unwrap_or(false);
        positives += usize::from(want);
        let got = safety::assess(q).any();
        if want && !got {
            misses.push(q);
        }
        if !want && got {
            false_alarms.push(q);
        }
    }
    assert!(positives >= 50, "the crisis set should have at least 50 positives, has {positives}");
    assert!(misses.is_empty(), "missed risk to life (recall must be 100 %):\n{}", misses.join("\n"));
    assert!(false_alarms.is_empty(), "false alarms ({}):\n{}", false_alarms.len(), false_alarms.join("\n"));
}
