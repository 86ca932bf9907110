//! The shape of the bot's replies on Matrix: an `m.notice` in the question's thread (with the
//! fallback that unthreaded clients show as a reply), mentioning the asker and no one else.

use matrix_sdk::ruma::events::Mentions;
use matrix_sdk::ruma::events::relation::{InReplyTo, Reply as ReplyRelation, Thread};
use matrix_sdk::ruma::events::room::message::{Relation, RoomMessageEventContent};
use matrix_sdk::ruma::{OwnedEventId, OwnedUserId};
use serde_json::Value;

use super::event::Arrival;
use crate::answer::Reply;

/// The thread a reply to `arrival` goes into: the question's own thread, or a new thread
/// rooted at the question. `None` for a plain reply (a thread cannot start on an event that
/// relates to another, so the bot answers such a message with a reply).
pub fn thread_of(arrival: &Arrival) -> Option<&str> {
    match (&arrival.thread_root, &arrival.in_reply_to) {
        (Some(root), _) => Some(root),
        (None, Some(_)) => None,
        (None, None) => Some(&arrival.event_id),
    }
}

/// The content of the bot's notice answering `arrival`. `None` if the event's IDs do not
/// parse (the event came from a broken server; there is nothing sensible to answer).
pub fn notice(arrival: &Arrival, reply: &Reply) -> Option<Value> {
    let question: OwnedEventId = arrival.event_id.parse().ok()?;
    let asker: OwnedUserId = arrival.sender.parse().ok()?;
    let mut content = RoomMessageEventContent::notice_html(&reply.plain, &reply.html);
    content.relates_to = Some(match thread_of(arrival) {
        Some(root) => Relation::Thread(Thread::plain(root.parse().ok()?, question)),
        None => Relation::Reply(ReplyRelation::new(InReplyTo::new(question))),
    });
    content.mentions = Some(Mentions::with_user_ids([asker]));
    serde_json::to_value(&content).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrix::event::Kind;
    use serde_json::json;

    fn arrival(thread_root: Option<&str>, in_reply_to: Option<&str>) -> Arrival {
        Arrival {
            event_id: "$q".into(),
            room_id: "!r".into(),
            sender: "@res:localhost".into(),
            ts: 1,
            kind: Kind::Text,
            body: "velat".into(),
            mentions_bot: false,
            thread_root: thread_root.map(Into::into),
            in_reply_to: in_reply_to.map(Into::into),
            edit: false,
        }
    }

    #[test]
    fn replies_go_into_the_questions_thread_and_mention_only_the_asker() {
        let reply = Reply { plain: "vastaus".into(), html: "<p>vastaus</p>".into() };
        // (what, thread root, in reply to, expected m.relates_to)
        let cases = [
            (
                "a new question starts a thread",
                None,
                None,
                json!({"rel_type": "m.thread", "event_id": "$q", "is_falling_back": true, "m.in_reply_to": {"event_id": "$q"}}),
            ),
            (
                "a message in a thread stays in it",
                Some("$root"),
                None,
                json!({"rel_type": "m.thread", "event_id": "$root", "is_falling_back": true, "m.in_reply_to": {"event_id": "$q"}}),
            ),
            (
                "a plain reply is answered with a reply",
                None,
                Some("$other"),
                json!({"m.in_reply_to": {"event_id": "$q"}}),
            ),
        ];
        for (what, root, to, want) in cases {
            let content = notice(&arrival(root, to), &reply).unwrap();
            assert_eq!(content["m.relates_to"], want, "{what}");
            assert_eq!(content["msgtype"], "m.notice", "{what}");
            assert_eq!(content["m.mentions"], json!({"user_ids": ["@res:localhost"]}), "{what}");
            assert_eq!(content["formatted_body"], "<p>vastaus</p>", "{what}");
        }
        assert_eq!(thread_of(&arrival(None, Some("$x"))), None);
    }

    #[test]
    fn broken_ids_give_no_reply_rather_than_a_panic() {
        let mut a = arrival(None, None);
        a.sender = "not a user".into();
        assert!(notice(&a, &Reply { plain: "x".into(), html: "x".into() }).is_none());
    }
}
