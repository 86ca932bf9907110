//! `lahiapu report cases`: how the hand-over is used, without surveillance: counts of cases
//! by region, language, category and week, and the median time to a volunteer's first
//! answer. No one's ID is read, and nothing is counted per person.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike};
use serde::Serialize;

use super::cases::CaseFacts;

/// The case statistics.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CaseReport {
    /// Requests for a person (consent asked).
    pub requests: u64,
    /// Cases the residents consented to and opened.
    pub opened: u64,
    /// Requests declined, or left unanswered.
    pub declined: u64,
    /// Still running.
    pub running: u64,
    pub by_region: BTreeMap<String, u64>,
    pub by_language: BTreeMap<String, u64>,
    pub by_category: BTreeMap<String, u64>,
    /// ISO week ("2026-W49") of the request.
    pub by_week: BTreeMap<String, u64>,
    /// Opened cases a volunteer answered.
    pub answered: u64,
    /// The median minutes from opening to the first answer.
    pub median_first_answer_minutes: Option<f64>,
}

/// Counts the cases.
pub fn cases(facts: &[CaseFacts]) -> CaseReport {
    let mut r = CaseReport::default();
    let mut waits = Vec::new();
    for c in facts {
        r.requests += 1;
        match c.state.as_str() {
            "declined" => r.declined += 1,
            "closed" => {}
            _ => r.running += 1,
        }
        if c.opened_at.is_none() {
            continue;
        }
        r.opened += 1;
        *r.by_region.entry(c.region.clone().unwrap_or_else(|| "?".into())).or_default() += 1;
        *r.by_language.entry(c.lang.clone()).or_default() += 1;
        *r.by_category.entry(c.category.clone().unwrap_or_else(|| "?".into())).or_default() += 1;
        if let Some(t) = DateTime::from_timestamp_millis(c.created_at as i64) {
            let week = t.iso_week();
            *r.by_week.entry(format!("{}-W{:02}", week.year(), week.week())).or_default() += 1;
        }
        if let (Some(opened), Some(first)) = (c.opened_at, c.first_response_at) {
            r.answered += 1;
            waits.push(first.saturating_sub(opened) as f64 / 60_000.0);
        }
    }
    waits.sort_by(f64::total_cmp);
    r.median_first_answer_minutes = match waits.len() {
        0 => None,
        n if n % 2 == 1 => Some(waits[n / 2]),
        n => Some((waits[n / 2 - 1] + waits[n / 2]) / 2.0),
    };
    r
}

/// The report as text.
pub fn render(r: &CaseReport) -> String {
    let mut out = format!(
        "requests for a person: {}; opened: {}; declined or unanswered: {}; running: {}\n",
        r.requests, r.opened, r.declined, r.running
    );
    match r.median_first_answer_minutes {
        Some(m) => out.push_str(&format!(
            "answered: {} of {} opened; median time to the first answer: {m:.0} min\n",
            r.answered, r.opened
        )),
        None => out.push_str("no volunteer answers yet\n"),
    }
    for (title, map) in
        [("region", &r.by_region), ("language", &r.by_language), ("category", &r.by_category), ("week", &r.by_week)]
    {
        out.push_str(&format!("\nby {title}:\n"));
        for (k, v) in map {
            out.push_str(&format!("  {k:<20} {v}\n"));
        }
    }
    out
}

/// The gap report: what people asked that the bot could not answer well, and the votes.
#[derive(Debug, Clone, Serialize)]
pub struct GapReport {
    pub gaps: Vec<super::feedback::Gap>,
    /// Per category, and per region as "region:NN".
    pub votes: BTreeMap<String, super::feedback::Votes>,
}

/// The gap report as text.
pub fn render_gaps(r: &GapReport) -> String {
    let mut out = String::from("gaps (scrubbed questions, most frequent first; kept at most 90 days):\n");
    for g in &r.gaps {
        out.push_str(&format!(
            "  {:>4} × [{}] {} ({}, region {})\n",
            g.count,
            g.kind,
            g.text,
            g.lang,
            g.region.as_deref().unwrap_or("–")
        ));
    }
    out.push_str("\nfeedback (👍 / 👎):\n");
    for (key, v) in &r.votes {
        out.push_str(&format!("  {key:<24} {} / {}\n", v.up, v.down));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(state: &str, region: &str, opened: Option<u64>, first: Option<u64>) -> CaseFacts {
        CaseFacts {
            state: state.into(),
            lang: "fi".into(),
            region: Some(region.into()),
            category: Some("debt-counselling".into()),
            // 1 December 2026, 10.00 UTC (ISO week 49).
            created_at: 1_796_119_200_000,
            opened_at: opened,
            first_response_at: first,
        }
    }

    #[test]
    fn counts_and_the_median_first_answer() {
        let t = 1_796_119_200_000;
        let facts = [
            case("closed", "17", Some(t), Some(t + 10 * 60_000)),
            case("claimed", "17", Some(t), Some(t + 30 * 60_000)),
            case("open", "05", Some(t), None),
            case("declined", "05", None, None),
            case("closed", "90", Some(t), Some(t + 20 * 60_000)),
        ];
        let r = cases(&facts);
        assert_eq!((r.requests, r.opened, r.declined, r.running, r.answered), (5, 4, 1, 2, 3));
        assert_eq!(r.by_region, BTreeMap::from([("05".into(), 1), ("17".into(), 2), ("90".into(), 1)]));
        assert_eq!(r.by_week, BTreeMap::from([("2026-W49".into(), 4)]));
        assert_eq!(r.median_first_answer_minutes, Some(20.0));
        let text = render(&r);
        assert!(text.contains("median time to the first answer: 20 min"), "{text}");
        assert_eq!(cases(&[]).median_first_answer_minutes, None);
    }
}
