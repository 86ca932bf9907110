//! What carries over between the messages of one asker: the place they named, the
//! language they write in (or chose to be answered in), and what they asked about, so that
//! "entä Oulussa?" after a question about debts asks about debts in Oulu.
//!
//! `lahiapu chat` keeps one [`Conversation`]; the Matrix bot keeps one per asker and room,
//! so that the same messages get the same answers at both front doors.

use anyhow::Result;
use chrono::DateTime;
use chrono_tz::Tz;

use crate::assistant::{Answer, Assistant};
use crate::geo::Place;
use crate::lang::Lang;
use crate::understand::{AskContext, Question};

/// The state of one conversation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conversation {
    place: Option<Place>,
    lang: Option<Lang>,
    chosen_lang: Option<Lang>,
    /// The last message that asked for a kind of help.
    topic: Option<String>,
}

impl Conversation {
    /// A conversation that starts with a known place (or none).
    pub fn new(place: Option<Place>) -> Self {
        Self { place, ..Self::default() }
    }

    /// The place the asker gave last (a message that names one, or [`Conversation::set_place`]).
    pub fn place(&self) -> Option<&Place> {
        self.place.as_ref()
    }

    /// The language of the asker's last message.
    pub fn lang(&self) -> Option<Lang> {
        self.lang
    }

    /// The language the asker chose to be answered in, if any.
    pub fn chosen_lang(&self) -> Option<Lang> {
        self.chosen_lang
    }

    /// Sets (or, with `None`, forgets) the asker's place.
    pub fn set_place(&mut self, place: Option<Place>) {
        self.place = place;
    }

    /// Sets (or, with `None`, forgets) the language to answer in whatever the asker writes.
    pub fn choose_lang(&mut self, lang: Option<Lang>) {
        self.chosen_lang = lang;
    }

    /// The context for the next message.
    pub fn context(&self, now: DateTime<Tz>) -> AskContext {
        AskContext { default_place: self.place.clone(), previous_lang: self.lang, force_lang: self.chosen_lang, now }
    }

    /// Carries over what a message said: the place it named, its language, and what it asked
    /// about.
    pub fn remember(&mut self, q: &Question) {
        if q.place_named {
            self.place = q.place.clone();
        }
        if !q.is_empty() {
            self.lang = Some(q.lang);
        }
        if !q.words.is_empty() && q.intent.is_ours() {
            self.topic = Some(q.text.clone());
        }
    }

    /// Understands the next message in this conversation: a message that names only a place
    /// ("entä Oulussa?", "och i Vasa?") asks the last question again for that place.
    pub fn understand(&self, assistant: &Assistant, text: &str, now: DateTime<Tz>) -> (Question, AskContext) {
        let cx = self.context(now);
        let q = assistant.understand(text, &cx);
        if let Some(topic) = &self.topic
            && q.place_named
            && !q.intent.is_ours()
            && q.words.len() <= 2
            && !q.crisis.any()
        {
            let again = assistant.understand(&format!("{topic} {text}"), &cx);
            return (again, cx);
        }
        (q, cx)
    }

    /// Understands and answers the next message, and remembers it.
    pub fn ask(&mut self, assistant: &Assistant, text: &str, now: DateTime<Tz>) -> Result<Answer> {
        let (q, cx) = self.understand(assistant, text, now);
        let answer = assistant.answer(&q, &cx)?;
        self.remember(&q);
        Ok(answer)
    }
}
