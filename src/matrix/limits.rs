//! The bot's budget of replies: per person, per room and for the whole bot, in sliding
//! windows. A flood gets one calm notice instead of an answer each, and one person cannot
//! crowd out everyone else.
//!
//! Only replies the bot really sends are counted: the caller asks [`Limiter::spend`] once it
//! knows it will speak. A message that signals a risk to life is never silenced: it passes
//! the personal and room limits, and at the global limit it still gets the short fixed
//! crisis notice ([`Verdict::CrisisOnly`]).
//!
//! Pure and in memory: keys are pseudonyms (never Matrix IDs), the caller passes the time,
//! and windows that have emptied are forgotten, so the maps stay as small as the traffic.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// What the budget allows for one reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Send the reply.
    Allow,
    /// The person has used their budget: tell them once, calmly, then stay quiet.
    Notice,
    /// Say nothing.
    Drop,
    /// A crisis at the global limit: send the fixed crisis notice, nothing more.
    CrisisOnly,
}

/// The limits, replies per window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub per_user: usize,
    pub per_room: usize,
    pub global: usize,
    pub window: Duration,
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

    fn full(&self, limit: usize) -> bool {
        self.times.len() >= limit
    }
}

/// The limiter.
#[derive(Debug)]
pub struct Limiter {
    limits: Limits,
    users: HashMap<String, Window>,
    rooms: HashMap<String, Window>,
    all: Window,
    last_sweep: Option<Instant>,
}

impl Limiter {
    pub fn new(limits: Limits) -> Self {
        Self { limits, users: HashMap::new(), rooms: HashMap::new(), all: Window::default(), last_sweep: None }
    }

    /// Decides on one reply to `user` in `room` at `now`, and counts it if it is sent.
    /// `urgent` replies (a crisis) pass the personal and room limits.
    pub fn spend(&mut self, user: &str, room: &str, now: Instant, urgent: bool) -> Verdict {
        let Limits { per_user, per_room, global, window } = self.limits;
        self.sweep(now);
        self.all.prune(now, window);
        let user_window = self.users.entry(user.to_owned()).or_default();
        user_window.prune(now, window);
        let room_window = self.rooms.entry(room.to_owned()).or_default();
        room_window.prune(now, window);

        if urgent {
            if self.all.full(global) {
                return Verdict::CrisisOnly;
            }
        } else {
            if self.all.full(global) {
                return Verdict::Drop;
            }
            let user_window = self.users.get_mut(user).expect("inserted above");
            if user_window.full(per_user) {
                if user_window.noticed {
                    return Verdict::Drop;
                }
                user_window.noticed = true;
                return Verdict::Notice;
            }
            if self.rooms.get(room).is_some_and(|w| w.full(per_room)) {
                return Verdict::Drop;
            }
        }
        for window in [self.users.get_mut(user), self.rooms.get_mut(room)].into_iter().flatten() {
            window.times.push_back(now);
        }
        self.all.times.push_back(now);
        Verdict::Allow
    }

    /// Whether `user` has used their budget and been told so: their messages get nothing
    /// now (but a crisis), so they need not even be read.
    pub fn silenced(&mut self, user: &str, now: Instant) -> bool {
        let window = self.limits.window;
        self.users.get_mut(user).is_some_and(|w| {
            w.prune(now, window);
            w.noticed && w.full(self.limits.per_user)
        })
    }

    /// How many people and rooms the limiter remembers now.
    pub fn tracked(&self) -> (usize, usize) {
        (self.users.len(), self.rooms.len())
    }

    /// Forgets emptied windows, at most once a second (a sweep is linear in the keys).
    fn sweep(&mut self, now: Instant) {
        if self.last_sweep.is_some_and(|t| now.duration_since(t) < Duration::from_secs(1)) {
            return;
        }
        self.last_sweep = Some(now);
        let window = self.limits.window;
        for map in [&mut self.users, &mut self.rooms] {
            map.retain(|_, w| {
                w.prune(now, window);
                !w.times.is_empty() || w.noticed
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(per_user: usize, per_room: usize, global: usize) -> Limits {
        Limits { per_user, per_room, global, window: Duration::from_secs(60) }
    }

    fn spend_n(l: &mut Limiter, user: &str, room: &str, start: Instant, n: usize, every: Duration) -> Vec<Verdict> {
        (0..n).map(|i| l.spend(user, room, start + every * i as u32, false)).collect()
    }

    #[test]
    fn a_flood_gets_its_budget_one_notice_then_silence() {
        let mut l = Limiter::new(limits(8, 30, 300));
        let v = spend_n(&mut l, "u1", "r", Instant::now(), 100, Duration::from_millis(100));
        assert_eq!(v.iter().filter(|v| **v == Verdict::Allow).count(), 8);
        assert_eq!(v[8], Verdict::Notice);
        assert!(v[9..].iter().all(|v| *v == Verdict::Drop), "a flood of 100 is cut off after one notice");
    }

    #[test]
    fn only_someone_told_they_are_over_budget_is_silenced() {
        let mut l = Limiter::new(limits(8, 30, 300));
        let t = Instant::now();
        spend_n(&mut l, "u1", "r", t, 8, Duration::from_millis(100));
        assert!(!l.silenced("u1", t + Duration::from_secs(1)), "at the budget but not told yet");
        assert_eq!(l.spend("u1", "r", t + Duration::from_secs(1), false), Verdict::Notice);
        assert!(l.silenced("u1", t + Duration::from_secs(2)));
        assert!(!l.silenced("u2", t + Duration::from_secs(2)), "nobody else");
        assert!(!l.silenced("u1", t + Duration::from_secs(61)), "the window slides");
    }

    #[test]
    fn another_person_is_still_answered_during_a_flood() {
        let mut l = Limiter::new(limits(8, 30, 300));
        let t = Instant::now();
        spend_n(&mut l, "flooder", "r", t, 20, Duration::from_millis(100));
        assert_eq!(l.spend("other", "r", t + Duration::from_secs(3), false), Verdict::Allow);
    }

    #[test]
    fn the_window_slides_and_a_crisis_always_gets_through() {
        let mut l = Limiter::new(limits(2, 30, 300));
        let t = Instant::now();
        let s = Duration::from_secs(1);
        assert_eq!(spend_n(&mut l, "u", "r", t, 3, s), [Verdict::Allow, Verdict::Allow, Verdict::Notice]);
        assert_eq!(l.spend("u", "r", t + 4 * s, true), Verdict::Allow, "a crisis passes the personal limit");
        assert_eq!(l.spend("u", "r", t + 5 * s, false), Verdict::Drop);
        assert_eq!(l.spend("u", "r", t + 70 * s, false), Verdict::Allow, "a minute later the window is free");
    }

    #[test]
    fn room_and_global_limits_hold_and_a_crisis_at_the_global_limit_gets_the_fixed_notice() {
        let mut l = Limiter::new(limits(10, 3, 5));
        let t = Instant::now();
        let room: Vec<Verdict> = (0..4).map(|i| l.spend(&format!("u{i}"), "busy", t, false)).collect();
        assert_eq!(room, [Verdict::Allow, Verdict::Allow, Verdict::Allow, Verdict::Drop]);
        assert_eq!(l.spend("x", "quiet", t, false), Verdict::Allow);
        assert_eq!(l.spend("y", "quiet", t, false), Verdict::Allow);
        assert_eq!(l.spend("z", "quiet", t, false), Verdict::Drop, "the global limit");
        assert_eq!(l.spend("z", "quiet", t, true), Verdict::CrisisOnly, "never silence for a crisis");
    }

    #[test]
    fn emptied_windows_are_forgotten() {
        let mut l = Limiter::new(limits(8, 30, 300));
        let t = Instant::now();
        for i in 0..1000 {
            l.spend(&format!("u{i}"), &format!("r{}", i % 10), t, false);
        }
        assert_eq!(l.tracked(), (1000, 10));
        l.spend("late", "r0", t + Duration::from_secs(120), false);
        assert_eq!(l.tracked(), (1, 1), "only the newest window is left");
    }
}
