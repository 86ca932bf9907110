//! The bot's words, from `locales/{fi,sv,en}/*.ftl` (Fluent). Nothing a resident reads is
//! written in code.
//!
//! The files are compiled into the binary so that the bot cannot start with a missing or
//! half-translated locale; a test checks that every message exists in every language.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use crate::lang::Lang;

/// Every locale file, in fi, sv and en: the answers (`main.ftl`) and the Matrix bot's
/// commands and notices (`bot.ftl`).
const FILES: &[(&str, [&str; 3])] = &[
    (
        "main.ftl",
        [
            include_str!("../locales/fi/main.ftl"),
            include_str!("../locales/sv/main.ftl"),
            include_str!("../locales/en/main.ftl"),
        ],
    ),
    (
        "bot.ftl",
        [
            include_str!("../locales/fi/bot.ftl"),
            include_str!("../locales/sv/bot.ftl"),
            include_str!("../locales/en/bot.ftl"),
        ],
    ),
    (
        "escalation.ftl",
        [
            include_str!("../locales/fi/escalation.ftl"),
            include_str!("../locales/sv/escalation.ftl"),
            include_str!("../locales/en/escalation.ftl"),
        ],
    ),
];

/// Message bundles for the three languages.
pub struct Locales {
    bundles: [FluentBundle<FluentResource>; 3],
    /// Every message id of each language, in file order.
    ids: [Vec<String>; 3],
}

impl std::fmt::Debug for Locales {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Locales")
    }
}

impl Locales {
    /// Parses the embedded locale files. Fails only if a file has a syntax error, which the
    /// test suite catches first.
    pub fn new() -> anyhow::Result<Self> {
        let bundle = |slot: usize, lang: Lang| -> anyhow::Result<(FluentBundle<FluentResource>, Vec<String>)> {
            let id: unic_langid::LanguageIdentifier = lang.code().parse()?;
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // Plain chat text: no Unicode isolation marks around the variables.
            bundle.set_use_isolating(false);
            let mut ids = Vec::new();
            for (file, sources) in FILES {
                let resource = FluentResource::try_new(sources[slot].to_owned())
                    .map_err(|(_, errors)| anyhow::anyhow!("locales/{lang}/{file}: {errors:?}"))?;
                ids.extend(resource.entries().filter_map(|entry| match entry {
                    fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                    _ => None,
                }));
                bundle.add_resource(resource).map_err(|errors| anyhow::anyhow!("locales/{lang}/{file}: {errors:?}"))?;
            }
            Ok((bundle, ids))
        };
        let (fi, fi_ids) = bundle(0, Lang::Fi)?;
        let (sv, sv_ids) = bundle(1, Lang::Sv)?;
        let (en, en_ids) = bundle(2, Lang::En)?;
        Ok(Self { bundles: [fi, sv, en], ids: [fi_ids, sv_ids, en_ids] })
    }

    fn slot(lang: Lang) -> usize {
        match lang {
            Lang::Fi => 0,
            Lang::Sv => 1,
            Lang::En => 2,
        }
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        &self.bundles[Self::slot(lang)]
    }

    /// The message `id` in `lang` with its variables. A missing message (a bug the tests
    /// catch) yields its id, so that a reply is never silently empty.
    pub fn text(&self, lang: Lang, id: &str, args: &[(&str, &str)]) -> String {
        let bundle = self.bundle(lang);
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            tracing::warn!(id, %lang, "missing locale message");
            return id.to_owned();
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, FluentValue::from(*value));
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        if !errors.is_empty() {
            tracing::warn!(id, %lang, ?errors, "locale message did not format cleanly");
        }
        text.into_owned()
    }

    /// Every message id of a language, for the completeness test.
    pub fn ids(&self, lang: Lang) -> Vec<String> {
        self.ids[Self::slot(lang)].clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_exists_in_every_language() {
        let l = Locales::new().unwrap();
        let fi = l.ids(Lang::Fi);
        assert!(fi.len() > 30);
        for lang in [Lang::Sv, Lang::En] {
            assert_eq!(l.ids(lang), fi, "{lang} has other messages than fi");
        }
        for lang in Lang::ALL {
            for id in &fi {
                let text = l.text(
                    lang,
                    id,
                    &[
                        ("place", "Turku"),
                        ("km", "5"),
                        ("number", "1"),
                        ("name", "X"),
                        ("time", "10.00"),
                        ("when", "x"),
                        ("day", "x"),
                        ("category", "x"),
                        ("orgs", "x"),
                        ("case", "17"),
                        ("text", "x"),
                        ("resident", "x"),
                        ("lang", "sv"),
                        ("state", "x"),
                        ("who", "x"),
                        ("minutes", "30"),
                        ("age", "x"),
                        ("n", "3"),
                        ("id", "x"),
                        ("services", "170"),
                        ("seconds", "2.1"),
                        ("categories", "11"),
                        ("voikko", "x"),
                        ("version", "0.1.0"),
                        ("uptime", "3 h"),
                        ("cases", "2"),
                        ("result", "x"),
                        ("unanswered", "5"),
                        ("down", "1"),
                        ("up", "4"),
                    ],
                );
                assert_ne!(&text, id, "{lang}: {id}");
                assert!(!text.contains('{'), "{lang}: {id} left a placeholder: {text}");
            }
        }
    }

    #[test]
    fn variables_are_filled_without_isolation_marks() {
        let l = Locales::new().unwrap();
        assert_eq!(l.text(Lang::Sv, "channel-phone", &[("number", "09 2525 0112")]), "Telefon 09 2525 0112");
    }
}
