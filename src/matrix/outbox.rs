//! Sending what the bot decided to say, exactly once.
//!
//! Every message waits in the store's outbox with its own fixed transaction ID, so sending
//! it again after a crash, a timeout or an outage gives the homeserver the same message,
//! which it keeps once. Sends run beside the sync loop, a few at a time: a room where the bot
//! may not post, or a homeserver that is away, never holds up the sync or other rooms.
//! Failures are classified: rate limits and network trouble are retried with backoff, other
//! client errors give the message up, and a revoked token stops the bot.

use std::collections::HashMap;
use std::time::Duration;

use matrix_sdk::RoomState;
use matrix_sdk::config::RequestConfig;
use matrix_sdk::ruma::api::error::{ErrorKind, RetryAfter};
use matrix_sdk::ruma::{OwnedRoomId, OwnedTransactionId};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tracing::{debug, info, warn};

use super::bot::{Bot, now_ms};
use super::redact;
use super::store::Due;

/// How many messages are in flight at once by default (`[sending] in_flight`). A busy homeserver answers each send slowly
/// (2–3 s each on this project's test machine at 10 questions/s), and the bot can send no
/// faster than this many per send's time: with 16 it sent 6.5 a second while questions came
/// at 10 (`docs/reliability.md`). [`PER_ROOM`] keeps one room from taking them all.
pub const IN_FLIGHT: usize = 64;
/// How many of them may go to one room by default (`[sending] per_room`), of the crisis
/// replies and of the others each. A
/// homeserver takes a room's events one after another, so a room where many are being sent (a
/// flood, with another bot answering it too) answers each send slowly; without a cap its
/// sends would hold every slot and the other rooms' answers would wait for them. Crisis
/// replies have a share of their own, so they never wait for the others' sends, and a flood
/// of them (each is answered) cannot take every slot either.
pub const PER_ROOM: usize = 4;

/// The caps on sends in flight, from the config.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slots {
    pub in_flight: usize,
    pub per_room: usize,
}

/// The longest pause between two attempts of one message.
const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// A message that failed this often for unclear reasons is given up.
const MAX_ATTEMPTS: u32 = 12;

/// What a failed send means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Try again after this pause.
    Retry(Duration),
    /// This message will never be accepted; give it up.
    Permanent(String),
    /// The homeserver no longer accepts the bot's token: nothing can be sent.
    Revoked,
}

/// The facts of a failed request that [`classify`] needs.
#[derive(Debug, Clone, Default)]
pub struct FailureFacts {
    /// The HTTP status of an error response.
    pub status: Option<u16>,
    /// The Matrix error code of an error response.
    pub kind: Option<ErrorKind>,
    /// The request never got an answer (connection refused, timeout).
    pub network: bool,
}

impl FailureFacts {
    pub fn of(e: &matrix_sdk::Error) -> Self {
        let network = match e {
            matrix_sdk::Error::Http(http) => matches!(**http, matrix_sdk::HttpError::Reqwest(_)),
            _ => false,
        };
        Self {
            status: e.as_client_api_error().map(|c| c.status_code.as_u16()),
            kind: e.client_api_error_kind().cloned(),
            network,
        }
    }
}

/// Classifies a failure after `attempts` earlier failures of the same message.
pub fn classify(f: &FailureFacts, attempts: u32) -> Failure {
    let backoff = Duration::from_secs(1u64 << attempts.min(6)).min(MAX_BACKOFF);
    match (&f.kind, f.status) {
        (Some(ErrorKind::UnknownToken(_)), _) => Failure::Revoked,
        (Some(ErrorKind::LimitExceeded(data)), _) => Failure::Retry(match data.retry_after {
            Some(RetryAfter::Delay(d)) => d.min(MAX_BACKOFF * 5),
            _ => backoff,
        }),
        (_, Some(408 | 429 | 500..=599)) => Failure::Retry(backoff),
        (Some(kind), Some(_)) => Failure::Permanent(kind.errcode().to_string()),
        (None, Some(status)) => Failure::Permanent(format!("HTTP {status}")),
        _ if f.network => Failure::Retry(backoff),
        _ if attempts + 1 >= MAX_ATTEMPTS => Failure::Permanent("failed repeatedly".into()),
        _ => Failure::Retry(backoff),
    }
}

/// Which of the `due` messages (in the outbox's order) to start now, with `free` slots and
/// the rooms of the messages being sent (and whether they are urgent): in order, at most
/// `per_room` per room of the urgent ones and of the others.
pub fn take_turns<'a>(
    due: Vec<Due>,
    busy: impl Iterator<Item = (&'a str, bool)>,
    free: usize,
    per_room_cap: usize,
) -> Vec<Due> {
    let mut per_room: HashMap<(String, bool), usize> = HashMap::new();
    for (room, urgent) in busy {
        *per_room.entry((room.to_owned(), urgent)).or_default() += 1;
    }
    let mut out = Vec::new();
    for message in due {
        if out.len() >= free {
            break;
        }
        let n = per_room.entry((message.room_id.clone(), message.urgent)).or_default();
        if *n >= per_room_cap {
            continue;
        }
        *n += 1;
        out.push(message);
    }
    out
}

/// How often the sender looks for due messages (retries) without being woken.
const TICK: Duration = Duration::from_millis(500);
/// How long `stop` lets messages being sent finish.
const GRACE: Duration = Duration::from_secs(3);

impl Bot {
    pub(super) async fn send_loop(self, mut stopped: watch::Receiver<bool>) {
        let mut tasks = JoinSet::new();
        loop {
            if *stopped.borrow() {
                break;
            }
            self.send_due(&mut tasks);
            while tasks.try_join_next().is_some() {}
            tokio::select! {
                _ = stopped.changed() => break,
                _ = self.0.wake_sender.notified() => {}
                _ = tokio::time::sleep(TICK) => {}
            }
        }
        // Messages being sent may finish; the rest stay pending for the next start (with the
        // same transaction IDs, so nothing is sent twice).
        let _ = tokio::time::timeout(GRACE, async { while tasks.join_next().await.is_some() {} }).await;
        tasks.abort_all();
    }

    /// Sends every message that is due now and waits for the sends (tests drive the bot
    /// with this); returns how many were tried.
    pub async fn send_once(&self) -> usize {
        let mut tasks = JoinSet::new();
        let mut tried = 0;
        loop {
            let started = self.send_due(&mut tasks);
            tried += started;
            if started == 0 && tasks.is_empty() {
                return tried;
            }
            if tasks.join_next().await.is_none() && started == 0 {
                return tried;
            }
        }
    }

    /// Decides and sends until nothing is left that is due now (for tests).
    pub async fn settle(&self) {
        loop {
            let worked = self.work_once().await;
            let sent = self.send_once().await;
            if worked == 0 && sent == 0 {
                return;
            }
        }
    }

    /// Starts sending the messages that are due, up to `[sending] in_flight` at once, and
    /// returns how many were started. Each send settles its row when it ends.
    pub(super) fn send_due(&self, tasks: &mut JoinSet<()>) -> usize {
        let slots = self.0.sending;
        let busy: HashMap<i64, (String, bool)> = self.0.in_flight.lock().unwrap_or_else(|p| p.into_inner()).clone();
        if busy.len() >= slots.in_flight {
            return 0;
        }
        let ids: Vec<i64> = busy.keys().copied().collect();
        // Twice the free slots, so that messages of other rooms are found behind a room at
        // its cap.
        let candidates = (slots.in_flight - busy.len()) * 2;
        let due = match self.0.store.due(now_ms(), candidates, &ids) {
            Ok(due) => due,
            Err(e) => {
                warn!(error = %format!("{e:#}"), "cannot read the outbox");
                return 0;
            }
        };
        let due = take_turns(
            due,
            busy.values().map(|(room, urgent)| (room.as_str(), *urgent)),
            slots.in_flight - busy.len(),
            slots.per_room,
        );
        let started = due.len();
        for message in due {
            let sending = (message.room_id.clone(), message.urgent);
            self.0.in_flight.lock().unwrap_or_else(|p| p.into_inner()).insert(message.id, sending);
            let bot = self.clone();
            tasks.spawn(async move {
                let id = message.id;
                bot.send(message).await;
                bot.0.in_flight.lock().unwrap_or_else(|p| p.into_inner()).remove(&id);
                bot.0.wake_sender.notify_one();
            });
        }
        started
    }

    /// Sends one message and settles its row.
    async fn send(&self, message: Due) {
        let store = &self.0.store;
        let now = now_ms();
        if now > message.give_up_at {
            info!(attempts = message.attempts, "gave up a message that is too old to send");
            let _ = store.abandon(message.id, "too old");
            return;
        }
        let room = OwnedRoomId::try_from(message.room_id.as_str())
            .ok()
            .and_then(|id| self.0.client.get_room(&id))
            .filter(|r| r.state() == RoomState::Joined);
        let Some(room) = room else {
            let configured = OwnedRoomId::try_from(message.room_id.as_str())
                .is_ok_and(|id| self.is_configured(&id) || self.is_volunteer_room(id.as_str()));
            if configured {
                // A room of the config being joined: wait for the join.
                let _ = store.retry(message.id, now_ms() + 2_000, "not joined yet");
            } else {
                info!("gave up a message to a room the bot is not in");
                let _ = store.abandon(message.id, "not in the room");
            }
            return;
        };
        let txn: OwnedTransactionId = message.txn_id.clone().into();
        // No retries inside the SDK: this loop decides, and a slow room holds only its slot.
        let config = RequestConfig::new().retry_limit(0).timeout(Duration::from_secs(30));
        let result = room
            .send_raw(&message.event_type, message.content.clone())
            .with_transaction_id(&txn)
            .with_request_config(config)
            .await;
        match result {
            Ok(sent) => {
                match store.sent(message.id, sent.response.event_id.as_str(), now_ms()) {
                    Ok(Some(answer)) => {
                        let seconds = now_ms().saturating_sub(answer.arrived_at) as f64 / 1000.0;
                        self.0.metrics.answer_seconds.observe(seconds);
                    }
                    Ok(None) => {}
                    Err(e) => warn!(error = %format!("{e:#}"), "sent a message but could not record it"),
                }
                debug!(attempts = message.attempts, "sent a message");
            }
            Err(e) => match classify(&FailureFacts::of(&e), message.attempts) {
                Failure::Retry(pause) => {
                    warn!(error = %redact::error(&e), retry_in = ?pause, "sending failed; trying again");
                    let _ = store.retry(message.id, now_ms() + pause.as_millis() as u64, "retry");
                }
                Failure::Permanent(reason) => {
                    warn!(error = %redact::error(&e), %reason, "the homeserver refused a message; gave it up");
                    let _ = store.abandon(message.id, &reason);
                }
                Failure::Revoked => {
                    let _ = store.retry(message.id, now_ms() + MAX_BACKOFF.as_millis() as u64, "revoked");
                    self.fail("the homeserver no longer accepts the bot's access token (it was logged out or revoked)");
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use matrix_sdk::ruma::api::error::LimitExceededErrorData;

    use super::*;

    fn due(id: i64, room: &str, urgent: bool) -> Due {
        Due {
            id,
            room_id: room.into(),
            event_type: "m.room.message".into(),
            content: serde_json::Value::Null,
            txn_id: format!("t{id}"),
            attempts: 0,
            give_up_at: u64::MAX,
            urgent,
        }
    }

    /// What is due (in the outbox's order), the rooms of the sends in flight, the free slots,
    /// and the IDs started.
    type Case<'a> = (&'a str, Vec<Due>, Vec<(&'a str, bool)>, usize, Vec<i64>);

    #[test]
    fn a_slow_room_takes_no_more_than_its_share_of_the_sends() {
        let flood: Vec<Due> = (1..=6).map(|id| due(id, "!flood", false)).collect();
        let cases: &[Case] = &[
            ("in order, while slots are free", vec![due(1, "!a", false), due(2, "!b", false)], vec![], 16, vec![1, 2]),
            ("no more than the free slots", vec![due(1, "!a", false), due(2, "!b", false)], vec![], 1, vec![1]),
            (
                "a room at its cap waits; the others go",
                [flood.clone(), vec![due(7, "!a", false)]].concat(),
                vec![],
                16,
                vec![1, 2, 3, 4, 7],
            ),
            (
                "sends in flight count",
                [flood.clone(), vec![due(7, "!a", false)]].concat(),
                vec![("!flood", false); 3],
                16,
                vec![1, 7],
            ),
            (
                "a crisis reply does not wait for the others' sends",
                vec![due(9, "!flood", true), due(1, "!flood", false)],
                vec![("!flood", false); PER_ROOM],
                16,
                vec![9],
            ),
            (
                "a flood of crisis replies takes its room's share, not every slot",
                [(11..=16).map(|id| due(id, "!flood", true)).collect(), vec![due(7, "!a", false)]].concat(),
                vec![],
                16,
                vec![11, 12, 13, 14, 7],
            ),
        ];
        for (what, due, busy, free, want) in cases {
            let got: Vec<i64> =
                take_turns(due.clone(), busy.iter().copied(), *free, PER_ROOM).iter().map(|d| d.id).collect();
            assert_eq!(&got, want, "{what}");
        }
        let configured: Vec<i64> = take_turns([flood, vec![due(7, "!a", false)]].concat(), std::iter::empty(), 16, 2)
            .iter()
            .map(|d| d.id)
            .collect();
        assert_eq!(configured, vec![1, 2, 7], "the cap per room is the configured one");
    }

    #[test]
    fn failures_are_retried_given_up_or_stop_the_bot() {
        let limit = |d: Option<Duration>| {
            let mut data = LimitExceededErrorData::new();
            data.retry_after = d.map(RetryAfter::Delay);
            Some(ErrorKind::LimitExceeded(data))
        };
        let s = Duration::from_secs;
        // (what, status, kind, network, attempts so far, expected)
        type Case = (&'static str, Option<u16>, Option<ErrorKind>, bool, u32, Failure);
        let cases: Vec<Case> = vec![
            ("rate limited with a delay", Some(429), limit(Some(s(7))), false, 0, Failure::Retry(s(7))),
            ("rate limited without one", Some(429), limit(None), false, 2, Failure::Retry(s(4))),
            ("connection refused", None, None, true, 0, Failure::Retry(s(1))),
            ("timeouts back off up to a minute", None, None, true, 9, Failure::Retry(s(60))),
            ("a gateway error", Some(502), None, false, 1, Failure::Retry(s(2))),
            (
                "forbidden to post",
                Some(403),
                Some(ErrorKind::Forbidden),
                false,
                0,
                Failure::Permanent("M_FORBIDDEN".into()),
            ),
            ("an unknown room", Some(404), None, false, 0, Failure::Permanent("HTTP 404".into())),
            (
                "a revoked token",
                Some(401),
                Some(ErrorKind::UnknownToken(Default::default())),
                false,
                0,
                Failure::Revoked,
            ),
            ("a local error, again and again", None, None, false, 11, Failure::Permanent("failed repeatedly".into())),
            ("a local error", None, None, false, 0, Failure::Retry(s(1))),
        ];
        for (what, status, kind, network, attempts, want) in cases {
            assert_eq!(classify(&FailureFacts { status, kind, network }, attempts), want, "{what}");
        }
    }
}
