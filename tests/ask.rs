//! `lahiapu ask` as a maintainer or a script uses it: the JSON contract, batch mode, places
//! by name or code, and calm answers to bad input (a 64 KiB paste, HTML).

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

fn ask(args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lahiapu"))
        .arg("ask")
        .args(args)
        .env("RUST_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn json_has_exactly_the_documented_shape() {
    let (ok, out, err) = ask(&["--json", "mistä saa apua velkoihin Turussa"], None);
    assert!(ok, "{err}");
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["question"], "mistä saa apua velkoihin Turussa");
    assert_eq!(v["lang"], "fi");
    assert_eq!(v["location"]["code"], "853");
    assert_eq!(v["location"]["name_fi"], "Turku");
    assert_eq!(v["location"]["name_sv"], "Åbo");
    assert_eq!(v["location"]["region_code"], "05");
    assert_eq!(v["crisis"], false);
    assert_eq!(v["confident"], true);
    assert!(v["reply"].as_str().unwrap().starts_with("Apua, kun asut paikkakunnalla Turku"));
    let first = &v["results"][0];
    for key in ["id", "name", "categories", "scope", "distance_km", "score", "channels"] {
        assert!(first.get(key).is_some(), "results[0] lacks {key}: {first}");
    }
    assert!(first["categories"].as_array().unwrap().iter().any(|c| c == "debt-counselling"));
    assert!(first["score"].is_number());
    assert!(!first["channels"].as_array().unwrap().is_empty(), "the first answer can be contacted: {first}");
    let results = v["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["scope"] == "local"), "Turku's own help is listed: {results:?}");
    // Place orders the results; only a first result that cannot be contacted gives way to a
    // reachable one of its category, so after the first the order is by scope.
    let scopes: Vec<&str> = results.iter().skip(1).map(|r| r["scope"].as_str().unwrap()).collect();
    let order = |s: &str| ["local", "regional", "national", "elsewhere"].iter().position(|x| *x == s).unwrap();
    assert!(scopes.windows(2).all(|w| order(w[0]) <= order(w[1])), "local before regional before national: {scopes:?}");
}

#[test]
fn batch_mode_answers_one_line_per_question_and_no_place_is_null() {
    let (ok, out, err) = ask(&["--json"], Some("velat\n\nvar får jag hjälp med skulder\nparas pizzeria Turussa\n"));
    assert!(ok, "{err}");
    let lines: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 3, "blank lines are skipped: {out}");
    assert!(lines[0]["location"].is_null());
    assert_eq!(lines[1]["lang"], "sv");
    assert_eq!(lines[2]["confident"], false, "off-topic is refused");
    assert_eq!(lines[2]["results"].as_array().unwrap().len(), 0);
    let (ok, out, _) = ask(&[], Some("velat\nskulder\n"));
    assert!(ok);
    assert_eq!(out.lines().count(), 2, "plain batch output is one line per question too: {out}");
}

#[test]
fn a_place_can_be_given_by_name_or_code_and_an_unknown_one_is_an_error() {
    let (ok, out, _) = ask(&["--json", "--place", "Jakobstad", "skulder"], None);
    assert!(ok);
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["location"]["code"], "598");
    let (ok, out, _) = ask(&["--json", "--place", "905", "skilsmässa"], None);
    assert!(ok);
    assert_eq!(serde_json::from_str::<Value>(out.trim()).unwrap()["location"]["name_fi"], "Vaasa");
    let (ok, _, err) = ask(&["--place", "Atlantis", "velat"], None);
    assert!(!ok);
    assert!(err.contains("unknown place \"Atlantis\""), "{err}");
}

#[test]
fn a_64_kib_paste_and_html_get_a_calm_answer_without_echo() {
    let mut long = "mulla on velkoja ja ulosotto. ".repeat(64 * 1024 / 30);
    long.push_str("<script>alert(1)</script>");
    assert!(long.len() >= 64 * 1000);
    let (ok, out, err) = ask(&["--json"], Some(&format!("{}\n", long.replace('\n', " "))));
    assert!(ok, "{err}");
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["confident"], true);
    assert!(v["results"][0]["categories"].as_array().unwrap().iter().any(|c| c == "debt-counselling"));
    assert!(!v["reply"].as_str().unwrap().contains("<script>"), "the question is never echoed");
}

#[test]
fn json_lists_exactly_the_services_the_reply_shows() {
    for q in ["mistä saa apua velkoihin Turussa", "en halua enää elää", "jag vill skiljas, bor i Vasa", "velat"] {
        let (ok, out, err) = ask(&["--json", q], None);
        assert!(ok, "{err}");
        let v: Value = serde_json::from_str(out.trim()).unwrap();
        let reply = v["reply"].as_str().unwrap();
        let results = v["results"].as_array().unwrap();
        assert!(!results.is_empty(), "{q}: {out}");
        // The reply numbers its services 1., 2., 3.: one per result, in the same order.
        let numbered =
            reply.lines().filter(|l| l.len() > 3 && l.as_bytes()[0].is_ascii_digit() && &l[1..3] == ". ").count();
        assert_eq!(numbered, results.len(), "{q}: {reply}");
        let mut at = 0;
        for r in results {
            let name = r["name"].as_str().unwrap();
            let found =
                reply[at..].find(name).unwrap_or_else(|| panic!("{q}: {name} not in the reply after {at}: {reply}"));
            at += found + name.len();
        }
    }
}
