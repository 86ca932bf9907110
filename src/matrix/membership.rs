//! Which rooms the bot joins and stays in. The rules are pure data, table-tested:
//!
//! - an admin of the config may invite the bot into any room;
//! - anyone else may open a direct chat with it, and only that: the invite's stripped state
//!   must show a room that is not public (join rule `invite`) with at most two members. The
//!   inviter's `is_direct` flag is the inviter's claim, so it is not trusted;
//! - one person may open only a few such chats an hour;
//! - the bot leaves a direct chat that grows beyond two members, and any room where it is
//!   the last member. Configured rooms it never leaves.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use serde_json::Value;

/// What an invite's stripped state shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteFacts {
    /// Who invited the bot (the sender of its `invite` membership).
    pub inviter: Option<String>,
    /// The room's join rule, if the state shows it.
    pub join_rule: Option<String>,
    /// Members joined or invited, the bot included.
    pub members: usize,
}

/// Why the bot is in a room it was invited to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joined {
    /// An admin invited it: it answers there when addressed.
    Admin,
    /// A resident's direct chat.
    Direct,
    /// A volunteers' room of the config.
    Volunteers,
    /// The maintainers' room of the config.
    Maintainers,
}

impl Joined {
    pub fn as_str(self) -> &'static str {
        match self {
            Joined::Admin => "admin",
            Joined::Direct => "direct",
            Joined::Volunteers => "volunteers",
            Joined::Maintainers => "maintainers",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "admin" => Some(Joined::Admin),
            "direct" => Some(Joined::Direct),
            "volunteers" => Some(Joined::Volunteers),
            "maintainers" => Some(Joined::Maintainers),
            _ => None,
        }
    }
}

/// The decision on an invite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invite {
    Join(Joined),
    Decline(&'static str),
}

/// Reads the stripped state of an invite to `me`.
pub fn invite_facts(stripped: &[Value], me: &str) -> InviteFacts {
    let mut members: Vec<&str> = Vec::new();
    let mut facts = InviteFacts { inviter: None, join_rule: None, members: 0 };
    for event in stripped {
        match event["type"].as_str() {
            Some("m.room.join_rules") => facts.join_rule = event["content"]["join_rule"].as_str().map(str::to_owned),
            Some("m.room.member") => {
                let (Some(who), Some(membership)) =
                    (event["state_key"].as_str(), event["content"]["membership"].as_str())
                else {
                    continue;
                };
                if who == me && membership == "invite" {
                    facts.inviter = event["sender"].as_str().map(str::to_owned);
                }
                if matches!(membership, "join" | "invite") && !members.contains(&who) {
                    members.push(who);
                }
            }
            _ => {}
        }
    }
    // The bot's own invite is part of the state; count it even if a server left it out.
    if !members.contains(&me) {
        members.push(me);
    }
    facts.members = members.len();
    facts
}

/// Whether to join: `recent` is how many direct chats the inviter opened in the last hour,
/// `per_hour` how many are allowed.
pub fn decide_invite(facts: &InviteFacts, inviter_is_admin: bool, recent: usize, per_hour: usize) -> Invite {
    if inviter_is_admin {
        return Invite::Join(Joined::Admin);
    }
    match facts.join_rule.as_deref() {
        Some("invite" | "private") => {}
        Some(_) => return Invite::Decline("not a private room"),
        None => return Invite::Decline("the invite does not show the room's join rule"),
    }
    if facts.members > 2 {
        return Invite::Decline("more than two members");
    }
    if recent >= per_hour {
        return Invite::Decline("too many invites from one person");
    }
    Invite::Join(Joined::Direct)
}

/// Whether to leave a joined room now. `kind` is why the bot joined (`None`: not recorded);
/// `active` counts members joined or invited (a direct chat the bot opened waits for the
/// resident's join).
pub fn should_leave(configured: bool, kind: Option<Joined>, joined: u64, active: u64) -> bool {
    if configured || matches!(kind, Some(Joined::Volunteers | Joined::Maintainers)) {
        return false;
    }
    if active <= 1 {
        return true;
    }
    kind != Some(Joined::Admin) && joined > 2
}

/// Invites accepted per inviter in the last hour (keys are pseudonyms; in memory only).
#[derive(Debug, Default)]
pub struct InviteLog {
    joins: HashMap<String, VecDeque<Instant>>,
}

impl InviteLog {
    const HOUR: Duration = Duration::from_secs(3600);

    /// How many direct chats `who` opened in the hour before `now`.
    pub fn recent(&mut self, who: &str, now: Instant) -> usize {
        self.joins.retain(|_, times| {
            while times.front().is_some_and(|t| now.duration_since(*t) >= Self::HOUR) {
                times.pop_front();
            }
            !times.is_empty()
        });
        self.joins.get(who).map_or(0, VecDeque::len)
    }

    pub fn add(&mut self, who: &str, now: Instant) {
        self.joins.entry(who.to_owned()).or_default().push_back(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ME: &str = "@lahiapu:localhost";

    fn state(join_rule: Option<&str>, others: &[(&str, &str)]) -> Vec<Value> {
        let mut events = vec![json!({"type": "m.room.member", "state_key": ME, "sender": "@res:localhost",
            "content": {"membership": "invite", "is_direct": true}})];
        if let Some(rule) = join_rule {
            events.push(json!({"type": "m.room.join_rules", "state_key": "", "content": {"join_rule": rule}}));
        }
        for (who, membership) in others {
            events.push(json!({"type": "m.room.member", "state_key": who, "content": {"membership": membership}}));
        }
        events
    }

    #[test]
    fn stripped_state_is_read_for_the_inviter_the_join_rule_and_the_members() {
        let facts = invite_facts(&state(Some("invite"), &[("@res:localhost", "join")]), ME);
        assert_eq!(
            facts,
            InviteFacts { inviter: Some("@res:localhost".into()), join_rule: Some("invite".into()), members: 2 }
        );
        let crowd = state(Some("public"), &[("@a:x", "join"), ("@b:x", "join"), ("@c:x", "leave"), ("@a:x", "join")]);
        assert_eq!(invite_facts(&crowd, ME).members, 3, "left members and duplicates do not count");
        assert_eq!(invite_facts(&[json!("garbage"), json!({"type": "m.room.member"})], ME).members, 1);
    }

    #[test]
    fn who_may_bring_the_bot_into_which_room() {
        let dm = InviteFacts { inviter: Some("@res:x".into()), join_rule: Some("invite".into()), members: 2 };
        // (what, facts, inviter is admin, recent invites by the inviter, expected)
        let cases = [
            ("a resident's direct chat", dm.clone(), false, 0, Invite::Join(Joined::Direct)),
            ("an admin's group room", InviteFacts { members: 40, ..dm.clone() }, true, 0, Invite::Join(Joined::Admin)),
            (
                "a stranger's public room flagged is_direct",
                InviteFacts { join_rule: Some("public".into()), ..dm.clone() },
                false,
                0,
                Invite::Decline("not a private room"),
            ),
            (
                "a knock room",
                InviteFacts { join_rule: Some("knock".into()), ..dm.clone() },
                false,
                0,
                Invite::Decline("not a private room"),
            ),
            (
                "a private group room",
                InviteFacts { members: 3, ..dm.clone() },
                false,
                0,
                Invite::Decline("more than two members"),
            ),
            (
                "state without a join rule",
                InviteFacts { join_rule: None, ..dm.clone() },
                false,
                0,
                Invite::Decline("the invite does not show the room's join rule"),
            ),
            (
                "the fourth chat within an hour",
                dm.clone(),
                false,
                3,
                Invite::Decline("too many invites from one person"),
            ),
        ];
        for (what, facts, admin, recent, want) in cases {
            assert_eq!(decide_invite(&facts, admin, recent, 3), want, "{what}");
        }
    }

    #[test]
    fn when_the_bot_leaves() {
        // (what, configured, joined as, joined members, joined or invited, leaves)
        let cases = [
            ("a configured room, even empty", true, None, 1, 1, false),
            ("a volunteers' room", false, Some(Joined::Volunteers), 1, 1, false),
            ("a direct chat of two", false, Some(Joined::Direct), 2, 2, false),
            ("a direct chat the bot opened, the resident still invited", false, Some(Joined::Direct), 1, 2, false),
            ("a direct chat that grew to three", false, Some(Joined::Direct), 3, 3, true),
            ("a room of unknown origin with a crowd", false, None, 5, 5, true),
            ("an admin's group room", false, Some(Joined::Admin), 30, 30, false),
            ("the last member of an admin's room", false, Some(Joined::Admin), 1, 1, true),
        ];
        for (what, configured, kind, joined, active, want) in cases {
            assert_eq!(should_leave(configured, kind, joined, active), want, "{what}");
        }
    }

    #[test]
    fn invites_per_hour_slide() {
        let mut log = InviteLog::default();
        let t = Instant::now();
        for _ in 0..3 {
            log.add("p", t);
        }
        assert_eq!(log.recent("p", t + Duration::from_secs(10)), 3);
        assert_eq!(log.recent("q", t), 0);
        assert_eq!(log.recent("p", t + Duration::from_secs(3601)), 0, "an hour later the count is free");
    }
}
