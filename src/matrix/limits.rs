//! Per-user, per-room and global limits on answers, so that a flood gets one calm notice
//! instead of an answer each, and one person cannot crowd out everyone else.
//!
//! Sliding windows of answer times, in memory only (keys are opaque strings; nothing is
//! written down). Pure: the caller passes the time.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// What to do with a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Answer it.
    Allow,
    /// The asker has reached their limit: tell them once, calmly, then stay quiet.
    Notice,
    /// Say nothing.
    Drop,
}

#[derive(Debug, Default)]
struct Window {
    times: VecDeque<Instant>,
    noticed: bool,
}

impl Window {
    fn prune(&mut self, now: Instant, window: Duration) {
        while self.times.front().is_some_and(|t| now.duration_since(*t) >= window) {
            self.times.pop_front();
        }
        if self.times.is_empty() {
            self.noticed = false;
        }
    }
}

/// The limiter.
#[derive(Debug)]
pub struct Limiter {
    per_user: usize,
    per_room: usize,
    global: usize,
    window: Duration,
    users: HashMap<String, Window>,
    rooms: HashMap<String, Window>,
    all: Window,
}

impl Limiter {
    pub fn new(per_user: u32, per_room: u32, global: u32, window: Duration) -> Self {
        Self {
            per_user: per_user as usize,
            per_room: per_room as usize,
            global: global as usize,
            window,
            users: HashMap::new(),
            rooms: HashMap::new(),
            all: Window::default(),
        }
    }

    /// Decides on one message from `user` in `room` at `now`, and counts it if allowed.
    /// `urgent` messages (a crisis) pass the per-user and per-room limits, never the global.
    pub fn check(&mut self, user: &str, room: &str, now: Instant, urgent: bool) -> Verdict {
        let window = self.window;
        self.all.prune(now, window);
        self.users.retain(|_, w| {
            w.prune(now, window);
            !w.times.is_empty()
        });
        self.rooms.retain(|_, w| {
            w.prune(now, window);
            !w.times.is_empty()
        });
        if self.all.times.len() >= self.global {
            return Verdict::Drop;
        }
        let user_window = self.users.entry(user.to_owned()).or_default();
        if !urgent && user_window.times.len() >= self.per_user {
            if user_window.noticed {
                return Verdict::Drop;
            }
            user_window.noticed = true;
            return Verdict::Notice;
        }
        let room_window = self.rooms.entry(room.to_owned()).or_default();
        if !urgent && room_window.times.len() >= self.per_room {
            return Verdict::Drop;
        }
        room_window.times.push_back(now);
        self.users.entry(user.to_owned()).or_default().times.push_back(now);
        self.all.times.push_back(now);
        Verdict::Allow
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdicts(
        limiter: &mut Limiter,
        user: &str,
        room: &str,
        start: Instant,
        n: usize,
        every: Duration,
    ) -> Vec<Verdict> {
        (0..n).map(|i| limiter.check(user, room, start + every * i as u32, false)).collect()
    }

    #[test]
    fn a_flood_gets_a_few_answers_one_notice_then_silence() {
        let mut l = Limiter::new(4, 30, 120, Duration::from_secs(60));
        let v = verdicts(&mut l, "u1", "r", Instant::now(), 20, Duration::from_millis(500));
        assert_eq!(v.iter().filter(|v| **v == Verdict::Allow).count(), 4);
        assert_eq!(v.iter().filter(|v| **v == Verdict::Notice).count(), 1);
        assert_eq!(v[4], Verdict::Notice);
        assert!(v[5..].iter().all(|v| *v == Verdict::Drop));
    }

    #[test]
    fn another_user_is_still_answered_during_a_flood() {
        let mut l = Limiter::new(4, 30, 120, Duration::from_secs(60));
        let t = Instant::now();
        verdicts(&mut l, "flooder", "r", t, 20, Duration::from_millis(100));
        assert_eq!(l.check("other", "r", t + Duration::from_secs(3), false), Verdict::Allow);
    }

    #[test]
    fn the_window_slides_and_crisis_messages_pass() {
        let mut l = Limiter::new(2, 30, 120, Duration::from_secs(60));
        let t = Instant::now();
        assert_eq!(
            verdicts(&mut l, "u", "r", t, 3, Duration::from_secs(1)),
            [Verdict::Allow, Verdict::Allow, Verdict::Notice]
        );
        assert_eq!(l.check("u", "r", t + Duration::from_secs(4), true), Verdict::Allow, "a crisis is always answered");
        assert_eq!(l.check("u", "r", t + Duration::from_secs(5), false), Verdict::Drop);
        assert_eq!(
            l.check("u", "r", t + Duration::from_secs(70), false),
            Verdict::Allow,
            "a minute later the window is free"
        );
    }

    #[test]
    fn room_and_global_limits_hold() {
        let mut l = Limiter::new(10, 3, 5, Duration::from_secs(60));
        let t = Instant::now();
        let room: Vec<Verdict> = (0..4).map(|i| l.check(&format!("u{i}"), "busy", t, false)).collect();
        assert_eq!(room, [Verdict::Allow, Verdict::Allow, Verdict::Allow, Verdict::Drop]);
        assert_eq!(l.check("x", "quiet", t, false), Verdict::Allow);
        assert_eq!(l.check("y", "quiet", t, false), Verdict::Allow);
        assert_eq!(l.check("z", "quiet", t, true), Verdict::Drop, "the global limit holds even for a crisis");
    }
}
