//! `/metrics` (Prometheus text format) and `/healthz`, on a local address of the operator's
//! choice (off by default). The names carry the `lahiapu_` prefix and base units, and no
//! label names a person or a room: only language, welfare region, outcome, vote, result.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Context, Result};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::metrics::info::Info;
use prometheus_client::registry::{Registry, Unit};

/// The labels of a question's count.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct QuestionLabels {
    pub lang: String,
    /// A welfare-region code, or "none".
    pub region: String,
    /// What the bot did: answer, not-understood, crisis, command, flood-notice, silent, escalation…
    pub outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct VoteLabels {
    /// up, down, or withdrawn.
    pub vote: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ResultLabels {
    /// ok or error.
    pub result: String,
}

/// Every metric of the bot.
pub struct Metrics {
    registry: Registry,
    pub questions: Family<QuestionLabels, Counter>,
    /// From recording a question to the homeserver accepting the reply.
    pub answer_seconds: Histogram,
    pub crisis_answers: Counter,
    pub feedback: Family<VoteLabels, Counter>,
    pub escalations_open: Gauge,
    pub reloads: Family<ResultLabels, Counter>,
    pub sync_errors: Counter,
    pub rate_limited: Counter,
    pub undecryptable: Counter,
    /// When a sync last succeeded (ms since the epoch): `/healthz` is unhealthy without one
    /// in the last few minutes.
    pub last_sync_ms: AtomicU64,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::default();
        let questions = Family::<QuestionLabels, Counter>::default();
        registry.register(
            "lahiapu_questions",
            "Messages the bot decided on, by language, region and outcome",
            questions.clone(),
        );
        let answer_seconds = Histogram::new(exponential_buckets(0.005, 2.0, 14));
        registry.register_with_unit(
            "lahiapu_answer",
            "From recording a question to the homeserver accepting the reply",
            Unit::Seconds,
            answer_seconds.clone(),
        );
        let crisis_answers = Counter::default();
        registry.register(
            "lahiapu_crisis_answers",
            "Replies to messages that signal a risk to life",
            crisis_answers.clone(),
        );
        let feedback = Family::<VoteLabels, Counter>::default();
        registry.register("lahiapu_feedback", "Reactions to answers: up, down, withdrawn", feedback.clone());
        let escalations_open = Gauge::default();
        registry.register(
            "lahiapu_escalations_open",
            "Cases of the hand-over to volunteers running now",
            escalations_open.clone(),
        );
        let reloads = Family::<ResultLabels, Counter>::default();
        registry.register("lahiapu_knowledge_reload", "Knowledge reloads by result", reloads.clone());
        let sync_errors = Counter::default();
        registry.register("lahiapu_sync_errors", "Syncs that failed (the homeserver away)", sync_errors.clone());
        let rate_limited = Counter::default();
        registry.register(
            "lahiapu_rate_limited",
            "Messages over a reply budget (notice or silence)",
            rate_limited.clone(),
        );
        let undecryptable = Counter::default();
        registry.register(
            "lahiapu_undecryptable",
            "Encrypted messages the bot could not decrypt",
            undecryptable.clone(),
        );
        registry.register(
            "lahiapu_build",
            "The bot's version",
            Info::new(vec![("version".to_owned(), env!("CARGO_PKG_VERSION").to_owned())]),
        );
        Self {
            registry,
            questions,
            answer_seconds,
            crisis_answers,
            feedback,
            escalations_open,
            reloads,
            sync_errors,
            rate_limited,
            undecryptable,
            last_sync_ms: AtomicU64::new(0),
        }
    }

    /// Counts a decided message.
    pub fn question(&self, lang: &str, region: Option<&str>, outcome: &str) {
        let labels = QuestionLabels {
            lang: lang.to_owned(),
            region: region.unwrap_or("none").to_owned(),
            outcome: outcome.to_owned(),
        };
        self.questions.get_or_create(&labels).inc();
    }

    pub fn vote(&self, vote: &str) {
        self.feedback.get_or_create(&VoteLabels { vote: vote.to_owned() }).inc();
    }

    pub fn reload(&self, ok: bool) {
        let result = if ok { "ok" } else { "error" };
        self.reloads.get_or_create(&ResultLabels { result: result.to_owned() }).inc();
    }

    /// The metrics in the Prometheus text format.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }

    /// Healthy: a sync succeeded in the last five minutes.
    pub fn healthy(&self, now_ms: u64) -> bool {
        now_ms.saturating_sub(self.last_sync_ms.load(Ordering::Relaxed)) < 5 * 60_000
    }
}

/// Serves `/metrics` and `/healthz` on `addr` in a thread of its own until the process ends.
pub fn serve(metrics: Arc<Metrics>, addr: SocketAddr) -> Result<()> {
    let server = tiny_http::Server::http(addr)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("cannot listen on {addr}"))?;
    std::thread::Builder::new()
        .name("metrics".into())
        .spawn(move || {
            for request in server.incoming_requests() {
                let now = chrono::Utc::now().timestamp_millis() as u64;
                let response = match request.url() {
                    "/metrics" => tiny_http::Response::from_string(metrics.encode()).with_header(
                        "Content-Type: application/openmetrics-text; version=1.0.0; charset=utf-8"
                            .parse::<tiny_http::Header>()
                            .expect("a valid header"),
                    ),
                    "/healthz" if metrics.healthy(now) => tiny_http::Response::from_string("ok\n"),
                    "/healthz" => {
                        tiny_http::Response::from_string("no successful sync in 5 minutes\n").with_status_code(503)
                    }
                    _ => tiny_http::Response::from_string("not found\n").with_status_code(404),
                };
                let _ = request.respond(response);
            }
        })
        .context("cannot start the metrics thread")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_have_the_prefix_and_base_units_and_no_label_names_anyone() {
        let m = Metrics::new();
        m.question("fi", Some("05"), "answer");
        m.question("sv", None, "not-understood");
        m.answer_seconds.observe(0.2);
        m.vote("up");
        m.reload(true);
        m.undecryptable.inc();
        let text = m.encode();
        for line in [
            "lahiapu_questions_total{lang=\"fi\",region=\"05\",outcome=\"answer\"} 1",
            "lahiapu_questions_total{lang=\"sv\",region=\"none\",outcome=\"not-understood\"} 1",
            "lahiapu_answer_seconds_count 1",
            "lahiapu_feedback_total{vote=\"up\"} 1",
            "lahiapu_knowledge_reload_total{result=\"ok\"} 1",
            "lahiapu_undecryptable_total 1",
            "lahiapu_escalations_open 0",
            "lahiapu_build_info{version=",
        ] {
            assert!(text.contains(line), "{line} missing in:\n{text}");
        }
        assert!(!text.contains('@') && !text.contains('!'), "no user or room IDs");
        assert!(!m.healthy(chrono::Utc::now().timestamp_millis() as u64), "no sync yet");
    }
}
