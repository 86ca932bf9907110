//! Scoring the assistant on question sets: the one place the quality metrics are defined.
//! `lahiapu eval` (and so `scripts/eval`) prints them, `tests/quality.rs` asserts them.
//!
//! A question set is JSON lines, one question per line:
//!
//! ```json
//! {"q": "...", "lang": "fi", "cats": ["debt-counselling"], "loc": "Turku", "crisis": true, "none": true}
//! ```
//!
//! - **top-1 / top-3**: the first result, or one of the first three, is in one of `cats`
//!   (questions with `cats` and without `none`);
//! - **place**: the detected place is `loc` (by its Finnish name); a question without `loc`
//!   must get none;
//! - **language**: the reply language is `lang`;
//! - **crisis**: recall on questions with `crisis: true`, false alarms on the others;
//! - **refused**: questions with `none: true` get no confident answer;
//! - **reach**: of the services confident answers list, those that give a channel (a phone,
//!   a chat, an address, an e-mail or a web page); **reachable**: confident answers in which
//!   every listed service does (issue 9).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::assistant::{AskContext, Assistant};
use crate::lang::Lang;

/// One question of a set.
#[derive(Debug, Clone, Deserialize)]
pub struct Item {
    pub q: String,
    pub lang: Lang,
    #[serde(default)]
    pub cats: Vec<String>,
    #[serde(default)]
    pub loc: Option<String>,
    #[serde(default)]
    pub crisis: bool,
    #[serde(default)]
    pub none: bool,
}

/// Reads a question set.
pub fn read(path: &Path) -> Result<Vec<Item>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).with_context(|| format!("{}:{}: not a question item", path.display(), i + 1))
        })
        .collect()
}

/// Hits out of questions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Count {
    pub ok: usize,
    pub n: usize,
}

impl Count {
    fn add(&mut self, ok: bool) {
        self.n += 1;
        self.ok += usize::from(ok);
    }

    /// The share of hits; 1 when there were no questions.
    pub fn share(self) -> f64 {
        if self.n == 0 { 1.0 } else { self.ok as f64 / self.n as f64 }
    }
}

impl std::fmt::Display for Count {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.n == 0 {
            write!(f, "{:>4}/{:<4}", 0, 0)
        } else {
            write!(f, "{:>4}/{:<4} {:.3}", self.ok, self.n, self.share())
        }
    }
}

/// The category hits of one language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Categories {
    pub top1: Count,
    pub top3: Count,
}

/// The scores of a question set.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Score {
    pub questions: usize,
    pub top1: Count,
    pub top3: Count,
    /// Top-1 and top-3 per language of the question.
    pub by_lang: BTreeMap<Lang, Categories>,
    pub place: Count,
    pub language: Count,
    pub crisis: Count,
    pub false_alarms: usize,
    pub refused: Count,
    /// Listed services that give a channel.
    pub reach: Count,
    /// Confident answers whose listed services all give a channel.
    pub reachable: Count,
    /// Every miss, one line each.
    pub failures: Vec<String>,
}

/// Asks every question of `items` and scores the answers. A crisis answer must open with
/// 112 (the `crisis-emergency` line): one that does not counts as a missed crisis.
pub fn score(assistant: &Assistant, items: &[Item], cx: &AskContext) -> Result<Score> {
    let mut s = Score { questions: items.len(), ..Score::default() };
    let top_ids =
        |a: &crate::assistant::Answer, n: usize| a.results.iter().take(n).map(|r| r.id.clone()).collect::<Vec<_>>();
    for item in items {
        let answer = assistant.ask(&item.q, cx)?;
        let q = &item.q;
        let mut miss = |what: &str, why: String| s.failures.push(format!("{what:9} {q:?}: {why}"));
        if item.none {
            s.refused.add(!answer.confident);
            if answer.confident {
                miss("refused", format!("answered with {:?}", top_ids(&answer, 3)));
            }
        } else if !item.cats.is_empty() {
            let fits =
                |n: usize| answer.results.iter().take(n).any(|r| r.categories.iter().any(|c| item.cats.contains(c)));
            let (one, three) = (fits(1), fits(3));
            s.top1.add(one);
            s.top3.add(three);
            let lang = s.by_lang.entry(item.lang).or_default();
            lang.top1.add(one);
            lang.top3.add(three);
            if !three {
                miss("top-3", format!("want {:?}, got {:?}", item.cats, top_ids(&answer, 3)));
            } else if !one {
                miss("top-1", format!("want {:?}, got {:?}", item.cats, top_ids(&answer, 3)));
            }
        }
        if answer.confident && !answer.results.is_empty() {
            for r in &answer.results {
                s.reach.add(!r.channels.is_empty());
                if r.channels.is_empty() {
                    miss("reach", format!("{} gives no channel", r.id));
                }
            }
            s.reachable.add(answer.results.iter().all(|r| !r.channels.is_empty()));
        }
        let got_loc = answer.location.as_ref().map(|l| l.name_fi.as_str());
        s.place.add(item.loc.as_deref() == got_loc);
        if item.loc.as_deref() != got_loc {
            miss("place", format!("want {:?}, got {got_loc:?}", item.loc));
        }
        s.language.add(answer.lang == item.lang);
        if answer.lang != item.lang {
            miss("language", format!("want {}, got {}", item.lang, answer.lang));
        }
        let opens_with_112 = answer.reply.starts_with(&assistant.locales().text(answer.lang, "crisis-emergency", &[]));
        if item.crisis {
            s.crisis.add(answer.crisis && opens_with_112);
            if !(answer.crisis && opens_with_112) {
                miss("crisis", "not recognised".into());
            }
        } else if answer.crisis {
            s.false_alarms += 1;
            miss("alarm", "crisis on a non-crisis question".into());
        }
    }
    Ok(s)
}

impl Score {
    /// The scores as a small table.
    pub fn table(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!("  top-1     {}\n", self.top1));
        out.push_str(&format!("  top-3     {}\n", self.top3));
        for (lang, c) in &self.by_lang {
            out.push_str(&format!("    {lang}: top-1 {}  top-3 {}\n", c.top1, c.top3));
        }
        out.push_str(&format!("  place     {}\n", self.place));
        out.push_str(&format!("  language  {}\n", self.language));
        out.push_str(&format!("  crisis    {}\n", self.crisis));
        out.push_str(&format!("  refused   {}\n", self.refused));
        out.push_str(&format!("  reach     {}\n", self.reach));
        out.push_str(&format!("  reachable {}\n", self.reachable));
        out.push_str(&format!("  crisis false alarms: {}\n", self.false_alarms));
        out
    }
}
