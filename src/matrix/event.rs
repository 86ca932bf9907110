//! What arrived: one timeline event turned into plain data ([`Arrival`]) that the rest of the
//! edge reads. Parsing works on the event's JSON, so an event with missing or odd fields is
//! read as far as it makes sense and never makes the bot fail.

use matrix_sdk::ruma::events::room::message::sanitize::remove_plain_reply_fallback;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Names the bot answers to when a client without `m.mentions` writes its name.
pub const NAMES: &[&str] = &["Lähiapu", "Lahiapu", "Närhjälp", "Narhjalp"];

/// What kind of message arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    /// `m.text` (and `m.emote`, which people use for text too).
    Text,
    /// `m.notice`: what bots send; never answered.
    Notice,
    /// Images, files, locations, polls…
    Other,
    /// An encrypted message the bot could not decrypt.
    Undecryptable,
    /// A reaction (`m.annotation`): `body` is its key, `in_reply_to` the event reacted to.
    Reaction,
    /// A redaction: `in_reply_to` is the event taken back (a withdrawn reaction).
    Redaction,
}

/// One message event, as the bot needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Arrival {
    pub event_id: String,
    pub room_id: String,
    pub sender: String,
    /// `origin_server_ts`, in milliseconds.
    pub ts: u64,
    pub kind: Kind,
    /// The text without a reply fallback and without the address to the bot.
    pub body: String,
    /// Mentions the bot (`m.mentions`, or its name in the body of a legacy client).
    pub mentions_bot: bool,
    /// The root of the thread the message is in.
    pub thread_root: Option<String>,
    /// The event a plain reply answers.
    pub in_reply_to: Option<String>,
    /// An edit (`m.replace`) of an earlier message.
    pub edit: bool,
}

/// What one timeline event means to the bot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    /// A message from someone else.
    Message(Arrival),
    /// The bot's own membership became `join` at this time: what came before is history.
    OwnJoin(u64),
    /// Anything else (state, reactions, the bot's own messages, malformed events).
    Ignored,
}

/// Reads one timeline event (its JSON) of `room_id`. `me` is the bot's user ID.
pub fn parse(json: &Value, room_id: &str, me: &str) -> Parsed {
    let (Some(kind), Some(sender)) = (json["type"].as_str(), json["sender"].as_str()) else {
        return Parsed::Ignored;
    };
    let ts = json["origin_server_ts"].as_u64().unwrap_or(0);
    if kind == "m.room.member" {
        let own_join = json["state_key"].as_str() == Some(me) && json["content"]["membership"] == "join";
        return if own_join { Parsed::OwnJoin(ts) } else { Parsed::Ignored };
    }
    if sender == me {
        return Parsed::Ignored;
    }
    let Some(event_id) = json["event_id"].as_str().filter(|id| id.starts_with('$')) else {
        return Parsed::Ignored;
    };
    let content = &json["content"];
    // Reactions and redactions: `body` is the key (none), `in_reply_to` the event they are about.
    let about = |kind: Kind, body: &str, target: &str| {
        Parsed::Message(Arrival {
            event_id: event_id.to_owned(),
            room_id: room_id.to_owned(),
            sender: sender.to_owned(),
            ts,
            kind,
            body: body.to_owned(),
            mentions_bot: false,
            thread_root: None,
            in_reply_to: Some(target.to_owned()),
            edit: false,
        })
    };
    if kind == "m.room.redaction" {
        // Room versions up to 10 put `redacts` at the top, later ones in the content.
        return match content["redacts"].as_str().or_else(|| json["redacts"].as_str()) {
            Some(redacts) => about(Kind::Redaction, "", redacts),
            None => Parsed::Ignored,
        };
    }
    if kind == "m.reaction" {
        let relation = &content["m.relates_to"];
        return match (relation["rel_type"].as_str(), relation["key"].as_str(), relation["event_id"].as_str()) {
            (Some("m.annotation"), Some(key), Some(target)) => about(Kind::Reaction, key, target),
            _ => Parsed::Ignored,
        };
    }
    let (kind, text) = match kind {
        "m.room.encrypted" => (Kind::Undecryptable, ""),
        "m.room.message" => match content["msgtype"].as_str() {
            Some("m.text" | "m.emote") => (Kind::Text, content["body"].as_str().unwrap_or_default()),
            Some("m.notice") => (Kind::Notice, ""),
            _ => (Kind::Other, ""),
        },
        _ => return Parsed::Ignored,
    };
    let relation = &content["m.relates_to"];
    let rel_type = relation["rel_type"].as_str();
    let thread_root = (rel_type == Some("m.thread")).then(|| relation["event_id"].as_str()).flatten();
    let in_reply_to = if thread_root.is_none() { relation["m.in_reply_to"]["event_id"].as_str() } else { None };
    let body = remove_plain_reply_fallback(text);
    let mentions_bot = match content["m.mentions"]["user_ids"].as_array() {
        Some(ids) => ids.iter().any(|id| id.as_str() == Some(me)),
        // No `m.mentions` at all: a legacy client; look for the name in the text.
        None if content.get("m.mentions").is_none() => body_mentions(body, me, NAMES),
        None => false,
    };
    Parsed::Message(Arrival {
        event_id: event_id.to_owned(),
        room_id: room_id.to_owned(),
        sender: sender.to_owned(),
        ts,
        kind,
        body: strip_mention(body, me, NAMES),
        mentions_bot,
        thread_root: thread_root.map(str::to_owned),
        in_reply_to: in_reply_to.map(str::to_owned),
        edit: rel_type == Some("m.replace"),
    })
}

/// Whether the body of a message from a client without `m.mentions` names the bot: its
/// full ID, `@localpart`, or a `Name:` address at the start.
pub fn body_mentions(body: &str, user_id: &str, names: &[&str]) -> bool {
    let lower = body.to_lowercase();
    let localpart = user_id.trim_start_matches('@').split(':').next().unwrap_or_default().to_lowercase();
    lower.contains(&user_id.to_lowercase())
        || (!localpart.is_empty() && lower.contains(&format!("@{localpart}")))
        || names.iter().any(|n| lower.trim_start().starts_with(&n.to_lowercase()))
}

/// The question without the address to the bot ("@lahiapu: mistä apua" → "mistä apua").
pub fn strip_mention(body: &str, user_id: &str, names: &[&str]) -> String {
    let mut text = body.replace(user_id, " ");
    let localpart = user_id.trim_start_matches('@').split(':').next().unwrap_or_default();
    if !localpart.is_empty() {
        text = text.replace(&format!("@{localpart}"), " ");
    }
    let trimmed = text.trim_start();
    for name in names {
        // Compare by characters: a lowercased name may differ in bytes from the original.
        let n = name.chars().count();
        let head: String = trimmed.chars().take(n).collect();
        if head.to_lowercase() == name.to_lowercase() {
            let rest: String = trimmed.chars().skip(n).collect();
            return rest.trim_start_matches([':', ',', ' ']).trim().to_owned();
        }
    }
    text.trim().trim_start_matches([':', ',']).trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ME: &str = "@lahiapu:localhost";

    fn message(content: Value) -> Value {
        json!({"type": "m.room.message", "sender": "@res:localhost", "event_id": "$q", "origin_server_ts": 5, "content": content})
    }

    fn arrival(json: &Value) -> Arrival {
        match parse(json, "!r", ME) {
            Parsed::Message(a) => a,
            other => panic!("expected a message, got {other:?}"),
        }
    }

    #[test]
    fn what_each_kind_of_event_means() {
        let cases: Vec<(&str, Value, &str)> = vec![
            ("a text", message(json!({"msgtype": "m.text", "body": "velat"})), "text"),
            ("an emote", message(json!({"msgtype": "m.emote", "body": "tarvii apua"})), "text"),
            ("a notice", message(json!({"msgtype": "m.notice", "body": "bot"})), "notice"),
            ("an image", message(json!({"msgtype": "m.image", "body": "a.png"})), "other"),
            ("no msgtype", message(json!({"body": "x"})), "other"),
            (
                "undecryptable",
                json!({"type": "m.room.encrypted", "sender": "@res:localhost", "event_id": "$e", "content": {"algorithm": "m.megolm.v1.aes-sha2"}}),
                "undecryptable",
            ),
            (
                "my own message",
                json!({"type": "m.room.message", "sender": ME, "event_id": "$m", "content": {"msgtype": "m.text", "body": "x"}}),
                "ignored",
            ),
            (
                "a broken reaction",
                json!({"type": "m.reaction", "sender": "@res:localhost", "event_id": "$r", "content": {}}),
                "ignored",
            ),
            (
                "a reaction",
                json!({"type": "m.reaction", "sender": "@res:localhost", "event_id": "$r",
                    "content": {"m.relates_to": {"rel_type": "m.annotation", "event_id": "$x", "key": "👍"}}}),
                "reaction",
            ),
            (
                "a redaction (room v11)",
                json!({"type": "m.room.redaction", "sender": "@res:localhost", "event_id": "$d", "content": {"redacts": "$r"}}),
                "redaction",
            ),
            (
                "a redaction (older rooms)",
                json!({"type": "m.room.redaction", "sender": "@res:localhost", "event_id": "$d", "redacts": "$r", "content": {}}),
                "redaction",
            ),
            (
                "my join",
                json!({"type": "m.room.member", "sender": ME, "state_key": ME, "event_id": "$j", "origin_server_ts": 9, "content": {"membership": "join"}}),
                "join 9",
            ),
            (
                "someone else's join",
                json!({"type": "m.room.member", "sender": "@x:y", "state_key": "@x:y", "event_id": "$j", "content": {"membership": "join"}}),
                "ignored",
            ),
            ("no sender", json!({"type": "m.room.message", "event_id": "$q", "content": {}}), "ignored"),
            (
                "no event id",
                json!({"type": "m.room.message", "sender": "@r:x", "content": {"msgtype": "m.text"}}),
                "ignored",
            ),
            ("not an object", json!("garbage"), "ignored"),
        ];
        for (what, json, want) in cases {
            let got = match parse(&json, "!r", ME) {
                Parsed::Message(a) => format!("{:?}", a.kind).to_lowercase(),
                Parsed::OwnJoin(ts) => format!("join {ts}"),
                Parsed::Ignored => "ignored".into(),
            };
            assert_eq!(got, want, "{what}");
        }
    }

    #[test]
    fn threads_replies_edits_and_fallbacks() {
        let t = arrival(&message(json!({"msgtype": "m.text", "body": "entä Oulussa?",
            "m.relates_to": {"rel_type": "m.thread", "event_id": "$root", "is_falling_back": true, "m.in_reply_to": {"event_id": "$last"}}})));
        assert_eq!((t.thread_root.as_deref(), t.in_reply_to.as_deref(), t.edit), (Some("$root"), None, false));

        let r = arrival(&message(
            json!({"msgtype": "m.text", "body": "> <@lahiapu:localhost> vastaus\n\nkiitos, entä Vaasa?",
            "m.relates_to": {"m.in_reply_to": {"event_id": "$answer"}}}),
        ));
        assert_eq!((r.thread_root, r.in_reply_to.as_deref()), (None, Some("$answer")));
        assert_eq!(r.body, "kiitos, entä Vaasa?", "the quoted fallback is removed");

        let e = arrival(&message(json!({"msgtype": "m.text", "body": "* korjattu",
            "m.relates_to": {"rel_type": "m.replace", "event_id": "$old"}})));
        assert!(e.edit);
    }

    #[test]
    fn mentions_from_m_mentions_or_from_the_text_of_legacy_clients() {
        let with = |content: Value| arrival(&message(content));
        assert!(
            with(json!({"msgtype": "m.text", "body": "Lähiapu: velat", "m.mentions": {"user_ids": [ME]}})).mentions_bot
        );
        assert!(
            !with(json!({"msgtype": "m.text", "body": "Lähiapu on kiva", "m.mentions": {}})).mentions_bot,
            "m.mentions present without the bot: not a mention, whatever the text"
        );
        let legacy = with(json!({"msgtype": "m.text", "body": "@lahiapu:localhost: mistä apua?"}));
        assert!(legacy.mentions_bot);
        assert_eq!(legacy.body, "mistä apua?");
        assert!(!with(json!({"msgtype": "m.text", "body": "velat kasvaa"})).mentions_bot);
    }

    #[test]
    fn mentions_are_stripped_by_characters_not_bytes() {
        assert_eq!(strip_mention("@lahiapu:localhost: mistä apua?", ME, NAMES), "mistä apua?");
        assert_eq!(strip_mention("Närhjälp, skulder i Åbo", ME, NAMES), "skulder i Åbo");
        assert_eq!(strip_mention("NÄRHJÄLP: skulder", ME, NAMES), "skulder");
        assert_eq!(strip_mention("velat", ME, NAMES), "velat");
        assert!(body_mentions("hei @lahiapu, velat", ME, NAMES));
        assert!(!body_mentions("velat kasvaa", ME, NAMES));
    }
}
