//! The operators' side of the bot on Matrix: knowledge reloads (watched files, `!reload`,
//! SIGHUP) with their results in the maintainers' room, and the admins' `!tila`.

use std::time::Duration;

use tokio::sync::watch;
use tracing::{info, warn};

use super::bot::{Bot, now_ms};
use super::event::Arrival;
use super::reply;
use super::store::NewMessage;
use crate::answer::{Reply, notice};
use crate::lang::Lang;
use crate::ops::reload::Outcome;

/// How many errors a reload message lists (the rest: `lahiapu check`).
const ERRORS_SHOWN: usize = 20;

impl Bot {
    pub(super) async fn reload_loop(self, mut stopped: watch::Receiver<bool>) {
        let _watcher = if self.0.watch_knowledge {
            // The watcher's thread holds only the wake-up: dropping the bot's client there,
            // outside the async runtime, would not be safe.
            let wake = self.0.wake_reload.clone();
            match self.0.live.watch(move || wake.notify_one()) {
                Ok(watcher) => Some(watcher),
                Err(e) => {
                    warn!(error = %format!("{e:#}"), "cannot watch the knowledge; it reloads on !reload and SIGHUP");
                    None
                }
            }
        } else {
            None
        };
        let mut broken = false;
        loop {
            tokio::select! {
                _ = stopped.changed() => return,
                _ = self.0.wake_reload.notified() => {}
            }
            let live = self.0.live.clone();
            let Ok(outcome) = tokio::task::spawn_blocking(move || live.reload()).await else {
                warn!("the knowledge reload failed");
                continue;
            };
            let lang = self.0.maintainers_lang;
            let assistant = self.assistant();
            let locales = assistant.locales();
            let report = match &outcome {
                Outcome::Reloaded { services, took } => {
                    self.0.metrics.reload(true);
                    info!(services, took = ?took, "reloaded the knowledge");
                    let fixed = std::mem::replace(&mut broken, false);
                    fixed
                        .then(|| notice::message(lang, "reload-fixed", &[("services", &services.to_string())], locales))
                }
                Outcome::Broken { errors } => {
                    self.0.metrics.reload(false);
                    warn!(errors = errors.len(), "the knowledge has errors; the last good knowledge stays in use");
                    broken = true;
                    Some(errors_reply(lang, errors, locales))
                }
            };
            if let Some(reply) = report {
                self.to_maintainers(reply, &format!("reload:{}", now_ms()));
            }
            let requests: Vec<Arrival> =
                self.0.reload_requests.lock().unwrap_or_else(|p| p.into_inner()).drain(..).collect();
            for a in requests {
                let lang: Lang = self.language_hint(&a);
                let reply = match &outcome {
                    Outcome::Reloaded { services, took } => notice::message(
                        lang,
                        "reload-done",
                        &[("services", &services.to_string()), ("seconds", &format!("{:.1}", took.as_secs_f64()))],
                        locales,
                    ),
                    Outcome::Broken { errors } => errors_reply(lang, errors, locales),
                };
                if let Some(content) = reply::notice(&a, &reply) {
                    let message = NewMessage {
                        room_id: a.room_id.clone(),
                        event_type: "m.room.message".into(),
                        content,
                        thread: reply::thread_of(&a).map(str::to_owned),
                        give_up_at: now_ms() + 3_600_000,
                        case: None,
                        meta: None,
                        urgent: false,
                    };
                    let _ = self.0.store.enqueue(&format!("{}:reload", a.event_id), &message, now_ms());
                }
            }
            self.0.wake_sender.notify_one();
        }
    }

    /// Posts `reply` in the maintainers' room (once per `source`); only logs without one.
    pub(super) fn to_maintainers(&self, reply: Reply, source: &str) {
        let Some(room) = self.0.maintainers.read().unwrap_or_else(|p| p.into_inner()).clone() else { return };
        let message = NewMessage {
            room_id: room.to_string(),
            event_type: "m.room.message".into(),
            content: reply::plain_notice_to_nobody(&reply),
            thread: None,
            give_up_at: now_ms() + 24 * 3_600_000,
            case: None,
            meta: None,
            urgent: false,
        };
        if let Err(e) = self.0.store.enqueue(source, &message, now_ms()) {
            warn!(error = %format!("{e:#}"), "cannot queue a message to the maintainers");
        }
        self.0.wake_sender.notify_one();
    }

    /// `!tila`: entries, categories, the last reload and its result, Voikko, version,
    /// uptime, open cases.
    pub(super) fn status_reply(&self, lang: Lang) -> Reply {
        let assistant = self.assistant();
        let locales = assistant.locales();
        let status = self.0.live.status();
        let on_off = |on: bool| locales.text(lang, if on { "status-on" } else { "status-off" }, &[]);
        let uptime = Duration::from_millis(now_ms().saturating_sub(self.0.started_at));
        let cases = self.0.store.running_cases().map(|c| c.len()).unwrap_or(0);
        let mut parts = vec![locales.text(
            lang,
            "status-line",
            &[
                ("services", &status.services.to_string()),
                ("categories", &status.categories.to_string()),
                ("voikko", &on_off(status.voikko)),
                ("version", env!("CARGO_PKG_VERSION")),
                ("uptime", &crate::answer::escalation::age(uptime.as_secs() / 60, lang, locales)),
                ("cases", &cases.to_string()),
            ],
        )];
        parts.push(match &status.last {
            Some((at, outcome)) => {
                let result = match outcome {
                    Outcome::Reloaded { .. } => "status-ok",
                    Outcome::Broken { .. } => "status-broken",
                };
                let when = at.with_timezone(&chrono_tz::Europe::Helsinki).format("%Y-%m-%d %H.%M").to_string();
                locales.text(
                    lang,
                    "status-last-reload",
                    &[("when", &when), ("result", &locales.text(lang, result, &[]))],
                )
            }
            None => locales.text(lang, "status-never-reloaded", &[]),
        });
        notice::paragraphs(parts)
    }

    /// Once a week, if configured: the gap report's summary in the maintainers' room.
    pub(super) fn weekly_summary(&self) {
        const WEEK: u64 = 7 * 86_400_000;
        if !self.0.weekly_summary {
            return;
        }
        let store = &self.0.store;
        let now = now_ms();
        let Ok(last) = store.ops_value("summary_at") else { return };
        let Some(last) = last else {
            // The first summary comes a week after the first start.
            let _ = store.set_ops_value("summary_at", now);
            return;
        };
        if now < last + WEEK {
            return;
        }
        let gaps: Vec<_> = store.gaps().unwrap_or_default().into_iter().filter(|g| g.last_at >= last).collect();
        let unanswered: u64 = gaps.iter().filter(|g| g.kind == "unanswered").map(|g| g.count).sum();
        let votes = store.votes().unwrap_or_default();
        let (up, down) = votes
            .iter()
            .filter(|(k, _)| k.starts_with("region:"))
            .fold((0, 0), |(u, d), (_, v)| (u + v.up, d + v.down));
        let lang = self.0.maintainers_lang;
        let assistant = self.assistant();
        let locales = assistant.locales();
        let mut parts = vec![locales.text(
            lang,
            "gaps-summary",
            &[("unanswered", &unanswered.to_string()), ("down", &down.to_string()), ("up", &up.to_string())],
        )];
        parts.extend(
            gaps.iter()
                .take(10)
                .map(|g| format!("{} × {} ({}, {})", g.count, g.text, g.lang, g.region.as_deref().unwrap_or("–"))),
        );
        self.to_maintainers(notice::paragraphs(parts), &format!("summary:{}", now / WEEK));
        let _ = store.set_ops_value("summary_at", now);
    }

    /// The language of a short reply to an admin's command.
    fn language_hint(&self, a: &Arrival) -> Lang {
        super::commands::Command::parse(&a.body).map_or(self.0.maintainers_lang, |(_, lang)| lang)
    }
}

/// The errors of a reload, as `lahiapu check` prints them, at most [`ERRORS_SHOWN`].
fn errors_reply(lang: Lang, errors: &[String], locales: &crate::i18n::Locales) -> Reply {
    let mut parts = vec![locales.text(lang, "reload-broken", &[])];
    parts.extend(errors.iter().take(ERRORS_SHOWN).cloned());
    if errors.len() > ERRORS_SHOWN {
        parts.push(locales.text(lang, "reload-more", &[("n", &(errors.len() - ERRORS_SHOWN).to_string())]));
    }
    notice::paragraphs(parts)
}
