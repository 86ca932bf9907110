//! `lahiapu list` as a social or health professional uses it: every service of a category
//! for a client's place, nearest first, with every channel, as text or JSON.

use std::process::Command;

use serde_json::Value;

fn list(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_lahiapu")).arg("list").args(args).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn json_lists_every_service_of_the_category_for_the_place_nearest_first_with_its_channels() {
    let (ok, out, err) = list(&["--category", "domestic-violence", "--place", "Kotka", "--json"]);
    assert!(ok, "{err}");
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["category"], "domestic-violence");
    assert_eq!(v["place"]["municipality"], "285");
    let services = v["services"].as_array().unwrap();
    assert!(services.len() >= 10, "every shelter and national line, not three: {}", services.len());
    let order = |s: &str| ["local", "regional", "national"].iter().position(|x| *x == s).unwrap();
    let scopes: Vec<usize> = services.iter().map(|s| order(s["scope"].as_str().unwrap())).collect();
    assert!(scopes.windows(2).all(|w| w[0] <= w[1]), "local before regional before national: {scopes:?}");
    let km: Vec<f64> = services.iter().filter_map(|s| s["distance_km"].as_f64()).collect();
    assert!(km.windows(2).all(|w| w[0] <= w[1]), "nearest first: {km:?}");
    for s in services {
        assert!(s["categories"].as_array().unwrap().iter().any(|c| c == "domestic-violence"), "{s}");
        let channels =
            ["phone", "chat", "web", "email", "location"].iter().any(|k| !s[*k].as_array().unwrap().is_empty());
        assert!(channels || s["reach_note"].is_object(), "a channel or why there is none: {s}");
    }
}

#[test]
fn text_names_the_category_and_place_and_gives_each_service_its_way_in() {
    let (ok, out, err) = list(&["--category", "velkaneuvonta", "--place", "Åbo", "--lang", "sv"]);
    assert!(ok, "{err}");
    let first = out.lines().next().unwrap();
    assert!(first.contains("Åbo"), "{out}");
    // Each numbered item is followed by its reach line.
    let lines: Vec<&str> = out.lines().collect();
    for (i, line) in lines.iter().enumerate().filter(|(_, l)| l.starts_with(char::is_numeric)) {
        let next = lines[i + 1].trim_start();
        let reach = ["Telefon", "Chatt", "Besöksadress", "E-post", "Bara en webbsida", "Inga kontaktuppgifter"];
        assert!(reach.iter().any(|r| next.starts_with(r)), "{line}\n{next}");
    }
}

#[test]
fn an_unknown_category_or_place_is_an_error_that_names_what_is_known() {
    let (ok, _, err) = list(&["--category", "astrology", "--place", "Turku"]);
    assert!(!ok);
    assert!(err.contains("unknown category \"astrology\"") && err.contains("debt-counselling"), "{err}");
    let (ok, _, err) = list(&["--category", "debt-counselling", "--place", "Atlantis"]);
    assert!(!ok);
    assert!(err.contains("unknown place \"Atlantis\""), "{err}");
}
