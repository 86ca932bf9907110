//! Knowledge changes without restarts. The bot answers from the [`Live`] knowledge; a
//! change to `knowledge/` (seen by a debounced file watcher, `!reload`, or SIGHUP) is
//! validated and built into a new index in the background, and swapped in atomically only
//! if it has no errors: questions keep being answered by the old index during the build, and
//! never by a half-built one. A broken file leaves the last good knowledge in place.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use arc_swap::ArcSwap;
use notify_debouncer_mini::notify::RecursiveMode;
use notify_debouncer_mini::{DebounceEventResult, Debouncer, new_debouncer};

use crate::assistant::Assistant;
use crate::knowledge::{self, Severity};
use crate::search::voikko::Voikko;

/// How long the watcher waits for a burst of saves to end before reloading.
const DEBOUNCE: Duration = Duration::from_millis(700);

/// What the last reload did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The new knowledge is in use.
    Reloaded { services: usize, took: Duration },
    /// The knowledge has errors (as `lahiapu check` prints them); the old one stays.
    Broken { errors: Vec<String> },
}

/// The state of the knowledge, for `!tila`.
#[derive(Debug, Clone)]
pub struct Status {
    pub services: usize,
    pub categories: usize,
    pub voikko: bool,
    pub last: Option<(chrono::DateTime<chrono::Utc>, Outcome)>,
}

/// The knowledge the bot answers from, replaceable while it runs.
pub struct Live {
    current: ArcSwap<Assistant>,
    dir: PathBuf,
    voikko: Option<Arc<Voikko>>,
    last: Mutex<Option<(chrono::DateTime<chrono::Utc>, Outcome)>>,
    /// One reload at a time.
    reloading: Mutex<()>,
}

impl std::fmt::Debug for Live {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Live").field("dir", &self.dir).finish_non_exhaustive()
    }
}

impl Live {
    /// Serves `assistant`, built from `dir`; reloads build with Voikko if it has it.
    pub fn new(assistant: Arc<Assistant>, dir: &Path) -> Self {
        let voikko = if assistant.has_voikko() { Assistant::load_voikko() } else { None };
        Self {
            current: ArcSwap::new(assistant),
            dir: dir.to_owned(),
            voikko,
            last: Mutex::new(None),
            reloading: Mutex::new(()),
        }
    }

    /// The knowledge to answer from now.
    pub fn current(&self) -> Arc<Assistant> {
        self.current.load_full()
    }

    /// Reads, validates and builds the knowledge folder, and swaps it in if it is valid.
    /// Blocking (seconds for a large knowledge base): call it off the async threads.
    pub fn reload(&self) -> Outcome {
        let _one = self.reloading.lock().unwrap_or_else(|p| p.into_inner());
        let started = Instant::now();
        let outcome = match self.build() {
            Ok(assistant) => {
                let services = assistant.knowledge().services.len();
                self.current.store(Arc::new(assistant));
                Outcome::Reloaded { services, took: started.elapsed() }
            }
            Err(errors) => Outcome::Broken { errors },
        };
        *self.last.lock().unwrap_or_else(|p| p.into_inner()) = Some((chrono::Utc::now(), outcome.clone()));
        outcome
    }

    fn build(&self) -> Result<Assistant, Vec<String>> {
        let report = knowledge::load(&self.dir, crate::today_in_finland()).map_err(|e| vec![format!("{e:#}")])?;
        let errors: Vec<String> = report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| {
                let mut d = d.clone();
                if let Ok(relative) = d.file.strip_prefix(&self.dir) {
                    d.file = Path::new("knowledge").join(relative);
                }
                d.to_string()
            })
            .collect();
        if !errors.is_empty() {
            return Err(errors);
        }
        Assistant::new(report.knowledge, self.voikko.clone()).map_err(|e| vec![format!("{e:#}")])
    }

    pub fn status(&self) -> Status {
        let current = self.current();
        Status {
            services: current.knowledge().services.iter().filter(|s| s.is_active()).count(),
            categories: current.knowledge().categories.iter().count(),
            voikko: current.has_voikko(),
            last: self.last.lock().unwrap_or_else(|p| p.into_inner()).clone(),
        }
    }

    /// Watches the knowledge folder; `changed` is called once a burst of changes has ended
    /// and the folder's files differ from what they were ([`Fingerprint`]). The watcher stops
    /// when the returned value is dropped.
    pub fn watch(
        &self,
        changed: impl Fn() + Send + 'static,
    ) -> Result<Debouncer<impl notify_debouncer_mini::notify::Watcher>> {
        let dir = self.dir.clone();
        let mut seen = Fingerprint::of(&dir);
        let mut debouncer = new_debouncer(DEBOUNCE, move |events: DebounceEventResult| {
            if events.is_ok_and(|e| !e.is_empty()) {
                let now = Fingerprint::of(&dir);
                if now != seen {
                    seen = now;
                    changed();
                }
            }
        })
        .context("cannot watch the knowledge folder")?;
        debouncer
            .watcher()
            .watch(&self.dir, RecursiveMode::Recursive)
            .with_context(|| format!("cannot watch {}", self.dir.display()))?;
        Ok(debouncer)
    }
}

/// Every file below a folder with its size and modification time: what a change to the
/// knowledge changes, and reading it does not.
///
/// The watcher hears opens too (notify's inotify watch includes `IN_OPEN`), and a reload opens
/// every file; without this comparison each reload woke the watcher for the next one, and the
/// bot rebuilt its index again and again (three quarters of its CPU under load).
#[derive(Debug, PartialEq, Eq)]
struct Fingerprint(Vec<(PathBuf, u64, Option<std::time::SystemTime>)>);

impl Fingerprint {
    /// Files that vanish while they are listed, or cannot be read, are left out.
    fn of(dir: &Path) -> Self {
        fn walk(dir: &Path, out: &mut Vec<(PathBuf, u64, Option<std::time::SystemTime>)>) {
            let Ok(entries) = std::fs::read_dir(dir) else { return };
            for entry in entries.flatten() {
                let Ok(meta) = entry.metadata() else { continue };
                if meta.is_dir() {
                    walk(&entry.path(), out);
                } else {
                    out.push((entry.path(), meta.len(), meta.modified().ok()));
                }
            }
        }
        let mut files = Vec::new();
        walk(dir, &mut files);
        files.sort();
        Self(files)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn copy_dir(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy_dir(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }

    /// A copy of the shipped knowledge, served live.
    fn live_copy() -> (tempfile::TempDir, Live) {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&knowledge::default_dir(), dir.path());
        let k = knowledge::load(dir.path(), crate::today_in_finland()).unwrap().into_valid().unwrap();
        let live = Live::new(Arc::new(Assistant::new(k, None).unwrap()), dir.path());
        (dir, live)
    }

    #[test]
    fn a_broken_file_keeps_the_old_knowledge_and_a_fix_brings_the_new() {
        let (dir, live) = live_copy();
        let before = live.current().knowledge().services.len();
        let new = dir.path().join("services/national/zz-test.toml");
        std::fs::write(&new, "id = \"zz-test\"\nstatus = \"active\"\ncategories = [\"nonsense\"]\n").unwrap();
        let Outcome::Broken { errors } = live.reload() else { panic!("a broken file must not load") };
        assert!(errors.iter().any(|e| e.starts_with("knowledge/services/national/zz-test.toml:")), "{errors:?}");
        assert_eq!(live.current().knowledge().services.len(), before, "the old knowledge stays");
        std::fs::remove_file(&new).unwrap();
        assert!(matches!(live.reload(), Outcome::Reloaded { services, .. } if services == before));
        assert!(matches!(live.status().last, Some((_, Outcome::Reloaded { .. }))));
    }

    #[test]
    fn reading_the_knowledge_wakes_no_reload_and_a_change_does() {
        let (dir, live) = live_copy();
        let (tx, rx) = std::sync::mpsc::channel();
        let _watcher = live.watch(move || tx.send(()).unwrap_or_default()).unwrap();
        // A reload reads (opens) every file.
        assert!(matches!(live.reload(), Outcome::Reloaded { .. }));
        assert!(rx.recv_timeout(DEBOUNCE * 4).is_err(), "reading the knowledge woke a reload");
        let file = dir.path().join("categories.toml");
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&file, format!("{text}\n# changed\n")).unwrap();
        assert!(rx.recv_timeout(Duration::from_secs(30)).is_ok(), "a change must wake a reload");
    }
}
