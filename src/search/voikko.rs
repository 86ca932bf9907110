//! A small run-time binding to libvoikko, the Finnish morphological analyser.
//!
//! Voikko turns "velkoihin" into "velka" and "lähisuhdeväkivaltaa" into
//! "lähisuhdeväkivalta" plus its parts "lähi", "suhde", "väki", "valta", which Snowball
//! cannot do (see `docs/quality.md`). The library is loaded with `libloading` when the bot
//! starts, from Debian's `libvoikko1` + `voikko-fi`, instead of being linked at build time:
//! the bot builds and runs without it (falling back to Snowball stems), and its own code
//! stays under its own licence (libvoikko is GPL-2.0-or-later, the `voikko-rs` crate GPL-3).
//!
//! A Voikko handle must not be used from two threads at once, so it lives behind a mutex;
//! analyses are cached per word because the same words recur in every question.

use std::collections::HashMap;
use std::ffi::{CStr, CString, c_char, c_void};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result, bail};
use libloading::{Library, Symbol};

/// The most analyses kept in the cache; past it the cache starts afresh.
const CACHE_LIMIT: usize = 50_000;

/// Set this environment variable to run as if Voikko were not installed (tests use it to
/// measure both configurations on one machine).
pub const DISABLE_ENV: &str = "LAHIAPU_NO_VOIKKO";

type InitFn = unsafe extern "C" fn(*mut *const c_char, *const c_char, *const c_char) -> *mut c_void;
type TerminateFn = unsafe extern "C" fn(*mut c_void);
type AnalyzeFn = unsafe extern "C" fn(*mut c_void, *const c_char) -> *mut *mut c_void;
type ValueFn = unsafe extern "C" fn(*const c_void, *const c_char) -> *mut c_char;
type FreeValueFn = unsafe extern "C" fn(*mut c_char);
type FreeAnalysisFn = unsafe extern "C" fn(*mut *mut c_void);

/// One reading of a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Analysis {
    /// The base form, e.g. "lähisuhdeväkivalta".
    pub baseform: String,
    /// The word class Voikko gives, e.g. "nimisana" (noun) or "paikannimi" (place name).
    pub class: String,
    /// The base forms of a compound's parts, e.g. ["lähi", "suhde", "väki", "valta"];
    /// empty for a simple word.
    pub parts: Vec<String>,
}

struct Handle {
    ptr: *mut c_void,
    cache: HashMap<String, Arc<[Analysis]>>,
}

// SAFETY: the handle is only ever used while the mutex around it is held, which is what
// libvoikko requires (one thread at a time per handle).
unsafe impl Send for Handle {}

/// A loaded Voikko with the Finnish dictionary.
pub struct Voikko {
    handle: Mutex<Handle>,
    analyze: AnalyzeFn,
    value: ValueFn,
    free_value: FreeValueFn,
    free_analysis: FreeAnalysisFn,
    terminate: TerminateFn,
    // Keeps the shared library mapped while the function pointers above are in use.
    _library: Library,
}

impl std::fmt::Debug for Voikko {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Voikko")
    }
}

impl Voikko {
    /// Loads `libvoikko.so.1` and its Finnish dictionary. Fails with a clear message when
    /// either is missing or when [`DISABLE_ENV`] is set.
    pub fn load() -> Result<Self> {
        if std::env::var_os(DISABLE_ENV).is_some_and(|v| !v.is_empty() && v != "0") {
            bail!("Voikko is disabled by {DISABLE_ENV}");
        }
        // SAFETY: loading libvoikko runs no initialisers with preconditions of ours.
        let library = unsafe { Library::new("libvoikko.so.1") }
            .context("libvoikko.so.1 not found (Debian/Ubuntu: apt-get install libvoikko1 voikko-fi)")?;
        // SAFETY: the symbol types match libvoikko's C API (voikko.h, libvoikko 4.x).
        unsafe {
            let init: Symbol<InitFn> = library.get(b"voikkoInit\0")?;
            let terminate = *library.get::<TerminateFn>(b"voikkoTerminate\0")?;
            let analyze = *library.get::<AnalyzeFn>(b"voikkoAnalyzeWordCstr\0")?;
            let value = *library.get::<ValueFn>(b"voikko_mor_analysis_value_cstr\0")?;
            let free_value = *library.get::<FreeValueFn>(b"voikko_free_mor_analysis_value_cstr\0")?;
            let free_analysis = *library.get::<FreeAnalysisFn>(b"voikko_free_mor_analysis\0")?;
            let mut error: *const c_char = std::ptr::null();
            let ptr = init(&mut error, c"fi".as_ptr(), std::ptr::null());
            if ptr.is_null() {
                let why =
                    if error.is_null() { "unknown error".into() } else { CStr::from_ptr(error).to_string_lossy() };
                bail!("Voikko found no Finnish dictionary ({why}); install voikko-fi");
            }
            Ok(Self {
                handle: Mutex::new(Handle { ptr, cache: HashMap::new() }),
                analyze,
                value,
                free_value,
                free_analysis,
                terminate,
                _library: library,
            })
        }
    }

    /// Every reading of `word` (lowercase), in Voikko's order; empty when Voikko does not
    /// know the word (spoken forms such as "mä", "tarviin").
    pub fn analyze(&self, word: &str) -> Arc<[Analysis]> {
        let mut handle = self.handle.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(hit) = handle.cache.get(word) {
            return hit.clone();
        }
        let result: Arc<[Analysis]> = self.analyze_uncached(handle.ptr, word).into();
        // Bounded, so that a stream of made-up words cannot grow it without end.
        if handle.cache.len() >= CACHE_LIMIT {
            handle.cache.clear();
        }
        handle.cache.insert(word.to_owned(), result.clone());
        result
    }

    /// Forgets every cached analysis.
    pub fn clear_cache(&self) {
        let mut handle = self.handle.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        handle.cache = HashMap::new();
    }

    fn analyze_uncached(&self, ptr: *mut c_void, word: &str) -> Vec<Analysis> {
        // Voikko's own limit is 255 characters; anything this long is no Finnish word.
        if word.is_empty() || word.chars().count() > 100 {
            return Vec::new();
        }
        let Ok(cword) = CString::new(word) else { return Vec::new() };
        let mut out = Vec::new();
        // SAFETY: `ptr` is a live handle used under the mutex; the analysis array is
        // NULL-terminated and freed with the matching free function; every value string
        // is copied and then freed with its own free function.
        unsafe {
            let list = (self.analyze)(ptr, cword.as_ptr());
            if list.is_null() {
                return out;
            }
            let mut i = 0;
            while !(*list.add(i)).is_null() {
                let analysis = *list.add(i);
                let get = |key: &CStr| -> Option<String> {
                    let v = (self.value)(analysis, key.as_ptr());
                    if v.is_null() {
                        return None;
                    }
                    let s = CStr::from_ptr(v).to_string_lossy().into_owned();
                    (self.free_value)(v);
                    Some(s)
                };
                if let Some(baseform) = get(c"BASEFORM") {
                    let class = get(c"CLASS").unwrap_or_default();
                    let parts = get(c"WORDBASES").map(|w| compound_parts(&w)).unwrap_or_default();
                    out.push(Analysis { baseform: baseform.to_lowercase(), class, parts });
                }
                i += 1;
            }
            (self.free_analysis)(list);
        }
        out
    }
}

impl Drop for Voikko {
    fn drop(&mut self) {
        let handle = self.handle.get_mut().unwrap_or_else(|poisoned| poisoned.into_inner());
        // SAFETY: the handle came from voikkoInit and is terminated exactly once.
        unsafe { (self.terminate)(handle.ptr) };
    }
}

/// The base forms of a compound's parts from Voikko's WORDBASES value, e.g.
/// `+lähi+suhde(suhde)+väki(väki)+valta(valta)` → lähi, suhde, väki, valta. A simple word
/// has no parts.
///
/// Each segment is `+surface(base)`. A base that starts with `+` marks a derivational suffix
/// (`+terve(terve)+ys(+ys)`), and a short bare segment (`+neuvo(neuvoa)+n+ta(+ta)`) is a
/// fragment of one; both are joined to the surface of the part before, so the parts are the
/// words a resident would type ("terveys", "neuvonta", "palvelu") and not verbs or stems
/// ("terve", "neuvoa", "palvella"). The City of Helsinki's Voikko filter does the same.
pub fn compound_parts(wordbases: &str) -> Vec<String> {
    struct Part {
        surface: String,
        base: String,
        derived: bool,
    }
    let mut parts: Vec<Part> = Vec::new();
    let mut rest = wordbases;
    while !rest.is_empty() {
        // A segment without its own `+` continues the morpheme before it:
        // `+sovit(sovittaa)tel(+ella)+u(+u)` is "sovittelu".
        let (joined, stripped) = match rest.strip_prefix('+') {
            Some(s) => (false, s),
            None => (true, rest),
        };
        let end = stripped.find(['+', '(']).unwrap_or(stripped.len());
        let surface = &stripped[..end];
        let (base, next) = match stripped[end..].strip_prefix('(') {
            Some(inner) => {
                let close = inner.find(')').unwrap_or(inner.len());
                (Some(&inner[..close]), inner.get(close + 1..).unwrap_or(""))
            }
            None => (None, &stripped[end..]),
        };
        rest = next;
        let is_suffix = joined
            || match base {
                Some(b) => b.starts_with('+'),
                None => !parts.is_empty() && surface.chars().count() < 3,
            };
        match parts.last_mut() {
            Some(previous) if is_suffix => {
                previous.surface.push_str(surface);
                previous.derived = true;
            }
            _ => parts.push(Part {
                surface: surface.to_owned(),
                base: base.unwrap_or(surface).replace('=', ""),
                derived: false,
            }),
        }
    }
    if parts.len() < 2 {
        return Vec::new();
    }
    parts
        .into_iter()
        .map(|p| if p.derived { p.surface } else { p.base }.to_lowercase())
        .filter(|p| p.chars().count() >= 3)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::compound_parts;

    #[test]
    fn wordbases_become_the_words_residents_type() {
        let cases: &[(&str, &[&str])] = &[
            ("+lähi+suhde(suhde)+väki(väki)+valta(valta)", &["lähi", "suhde", "väki", "valta"]),
            ("+mielen(mieli)+terve(terve)+ys(+ys)", &["mieli", "terveys"]),
            ("+velka(velka)+neuvo(neuvoa)+n+ta(+ta)", &["velka", "neuvonta"]),
            ("+koti(koti)+palvel(palvella)+u(+u)", &["koti", "palvelu"]),
            ("+ulos+ot(ottaa)+to(+to)", &["ulos", "otto"]),
            ("+mielen(mieli)+terve(terve)+ys(+ys)+palvel(palvella)+u(+u)", &["mieli", "terveys", "palvelu"]),
            ("+ero(ero)+auttaa(auttaa)", &["ero", "auttaa"]),
            ("+perhe(perhe)+asiain(asia)+sovit(sovittaa)tel(+ella)+u(+u)", &["perhe", "asia", "sovittelu"]),
            ("+sovit(sovittaa)tel(+ella)+u(+u)", &[]),
            ("+Seinäjoki(Seinä=joki)", &[]),
            ("+velka(velka)", &[]),
            ("+terve(terve)+ys(+ys)", &[]),
            ("", &[]),
        ];
        for (input, want) in cases {
            assert_eq!(compound_parts(input), *want, "{input}");
        }
    }
}
