//! The `lahiapu` command: a thin layer over the library.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};

use lahiapu::assistant::{AskContext, Assistant};
use lahiapu::conversation::Conversation;
use lahiapu::geo::Place;
use lahiapu::knowledge;
use lahiapu::lang::Lang;
use lahiapu::search::{Mode, listing};

#[derive(Parser)]
#[command(name = "lahiapu", version, about = "Lähiapu / Närhjälp: guides residents to low-threshold help near them")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate the knowledge base and report every problem as path:line:col.
    Check {
        #[command(flatten)]
        knowledge: KnowledgeArg,
        /// Check dates against this day instead of today (YYYY-MM-DD).
        #[arg(long, value_name = "DATE", hide = true)]
        today: Option<chrono::NaiveDate>,
    },
    /// For maintainers: per welfare region, which kinds of help have entries of their own,
    /// which entries cannot be contacted, and which sources are old, undated or unread.
    Coverage {
        #[command(flatten)]
        knowledge: KnowledgeArg,
        /// Print the report as one JSON object.
        #[arg(long)]
        json: bool,
        /// Date the report as of this day instead of today (YYYY-MM-DD).
        #[arg(long, value_name = "DATE", hide = true)]
        today: Option<chrono::NaiveDate>,
    },
    /// For professionals: every service of a category for a place, nearest first, with
    /// every channel.
    List {
        #[command(flatten)]
        knowledge: KnowledgeArg,
        /// The category: its slug (`debt-counselling`) or its name in fi, sv or en.
        #[arg(long, value_name = "SLUG|NAME")]
        category: String,
        /// The client's place: a municipality or region, by name or code.
        #[arg(long, value_name = "NAME|CODE")]
        place: String,
        /// The language of the listing.
        #[arg(long, value_name = "fi|sv|en", default_value = "fi")]
        lang: Lang,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Answer questions: the ones given, or one per line from standard input.
    Ask {
        #[command(flatten)]
        knowledge: KnowledgeArg,
        /// Print one JSON object per question.
        #[arg(long)]
        json: bool,
        /// The asker's place when a question names none (a municipality or region, by name or code).
        #[arg(long, value_name = "NAME|CODE")]
        place: Option<String>,
        /// Analysis to use: `full`, or the `snowball` baseline (for measurements).
        #[arg(long, value_enum, default_value_t = Analysis::Full, hide = true)]
        analysis: Analysis,
        /// Print what was understood (topic words, intent) to standard error, for maintainers.
        #[arg(long, hide = true)]
        explain: bool,
        /// The question (words are joined); without it, questions are read from standard input.
        question: Vec<String>,
    },
    /// Score question files (JSON lines; see docs/quality.md): top-1 and top-3 category,
    /// place, language, crisis, refusals.
    Eval {
        #[command(flatten)]
        knowledge: KnowledgeArg,
        /// Analysis to use: `full`, or the `snowball` baseline.
        #[arg(long, value_enum, default_value_t = Analysis::Full)]
        analysis: Analysis,
        /// Also print the scores as one JSON object per file.
        #[arg(long)]
        json: bool,
        /// List every miss.
        #[arg(long)]
        show_failures: bool,
        /// Exit non-zero unless top-3, place and language are at least 0.95, every crisis is
        /// recognised and every off-topic question refused.
        #[arg(long)]
        check: bool,
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Run the Matrix bot.
    #[cfg(feature = "matrix")]
    Run {
        /// The config file (see lahiapu.example.toml).
        #[arg(long, value_name = "FILE", default_value = "lahiapu.toml")]
        config: PathBuf,
    },
    /// Reports from the bot's store: `cases` (the hand-over to volunteers, counts only).
    #[cfg(feature = "matrix")]
    Report {
        /// What to report: `cases`.
        #[arg(value_enum)]
        what: ReportKind,
        /// The bot's config file (its store is read).
        #[arg(long, value_name = "FILE", default_value = "lahiapu.toml")]
        config: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Talk to the bot in the terminal, without a homeserver.
    Chat {
        #[command(flatten)]
        knowledge: KnowledgeArg,
        /// Your place, if you like to give it up front.
        #[arg(long, value_name = "NAME|CODE")]
        place: Option<String>,
    },
}

#[cfg(feature = "matrix")]
#[derive(Clone, Copy, clap::ValueEnum)]
enum ReportKind {
    /// The hand-over to volunteers: counts by region, language, category and week.
    Cases,
    /// Questions without a confident answer and answers with 👎 (scrubbed), and the votes.
    Gaps,
}

/// How much analysis to do (the Snowball-only baseline is for measurements).
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Analysis {
    Full,
    Snowball,
}

impl From<Analysis> for Mode {
    fn from(a: Analysis) -> Self {
        match a {
            Analysis::Full => Mode::Full,
            Analysis::Snowball => Mode::SnowballOnly,
        }
    }
}

#[derive(clap::Args)]
struct KnowledgeArg {
    /// The knowledge folder (default: ./knowledge, else the one shipped with the source).
    #[arg(long = "knowledge", value_name = "DIR")]
    dir: Option<PathBuf>,
}

impl KnowledgeArg {
    fn dir(&self) -> PathBuf {
        self.dir.clone().unwrap_or_else(knowledge::default_dir)
    }

    /// Loads the knowledge and builds the assistant; refuses knowledge with errors.
    fn assistant(&self) -> Result<Assistant> {
        self.assistant_with(Mode::Full)
    }

    fn assistant_with(&self, mode: Mode) -> Result<Assistant> {
        let dir = self.dir();
        let knowledge = knowledge::load(&dir, lahiapu::today_in_finland())?.into_valid()?;
        let voikko = if mode == Mode::Full { Assistant::load_voikko() } else { None };
        Assistant::with_mode(knowledge, voikko, mode)
    }
}

#[cfg(feature = "matrix")]
/// Log filter when RUST_LOG is not set. The SDK's own info lines carry room and user IDs,
/// so they stay at warn; ours never log bodies or IDs above debug.
const DEFAULT_RUN_LOG: &str = "info,matrix_sdk=warn,matrix_sdk_base=warn,matrix_sdk_crypto=warn,matrix_sdk_sqlite=warn,matrix_sdk::http_client=off";

fn init_logging(default: &str, json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| default.into());
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    // The bot's log lines never carry user IDs: any that a library or an error text puts in
    // one is blanked on the way out.
    #[cfg(feature = "matrix")]
    let builder = builder.with_writer(lahiapu::matrix::redact::BlankUserIds(std::io::stderr));
    #[cfg(not(feature = "matrix"))]
    let builder = builder.with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    #[cfg(feature = "matrix")]
    let is_bot = matches!(cli.command, Command::Run { .. });
    #[cfg(not(feature = "matrix"))]
    let is_bot = false;
    if !is_bot {
        init_logging("warn", false);
    }
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Check { knowledge, today } => {
            let dir = knowledge.dir();
            let report = knowledge::load(&dir, today.unwrap_or_else(lahiapu::today_in_finland))?;
            for d in &report.diagnostics {
                println!("{d}");
            }
            let (errors, warnings) = (report.errors(), report.warnings());
            let services = report.knowledge.services.len();
            eprintln!("{}: {services} services loaded, {errors} error(s), {warnings} warning(s)", dir.display());
            Ok(if errors == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Command::Coverage { knowledge, json, today } => {
            let dir = knowledge.dir();
            let today = today.unwrap_or_else(lahiapu::today_in_finland);
            let report = knowledge::load(&dir, today)?;
            if report.errors() > 0 {
                eprintln!(
                    "{}: {} error(s); files with errors are left out of the report (run `lahiapu check`)",
                    dir.display(),
                    report.errors()
                );
            }
            let coverage = knowledge::coverage(&report.knowledge, today);
            if json {
                println!("{}", serde_json::to_string(&coverage)?);
            } else {
                print!("{}", coverage.to_text());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::List { knowledge, category, place, lang, json } => {
            let knowledge = knowledge::load(&knowledge.dir(), lahiapu::today_in_finland())?.into_valid()?;
            let Some(category) = knowledge.categories.find(&category).map(|c| c.slug.clone()) else {
                let known: Vec<&str> = knowledge.categories.iter().map(|c| c.slug.as_str()).collect();
                bail!("unknown category {category:?}: give one of {}", known.join(", "));
            };
            let places = lahiapu::geo::PlaceFinder::new(&knowledge.gazetteer, &|_| false);
            let Some(place) = listing::resolve_place(&knowledge.gazetteer, &places, &place) else {
                bail!("unknown place {place:?}: give a municipality or region by name or code");
            };
            let listed = listing::list(&knowledge, &category, &place);
            if json {
                let items: Vec<listing::ListingItem<'_>> = listed.iter().map(Into::into).collect();
                let out = serde_json::json!({ "category": category, "place": place_json(&place), "services": items });
                println!("{}", serde_json::to_string(&out)?);
            } else {
                let locales = lahiapu::i18n::Locales::new()?;
                let now = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Helsinki);
                let view = lahiapu::answer::View { lang, now, knowledge: &knowledge, locales: &locales };
                println!("{}", lahiapu::answer::render_listing(&category, &place, &listed, &view).plain);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval { knowledge, analysis, json, show_failures, check, files } => {
            let assistant = knowledge.assistant_with(analysis.into())?;
            let mode = match (analysis, assistant.has_voikko(), assistant.has_swedish_dictionary()) {
                (Analysis::Snowball, ..) => "baseline (Snowball only)",
                (Analysis::Full, true, true) => "full",
                (Analysis::Full, true, false) => "full without the Swedish dictionary",
                (Analysis::Full, false, true) => "without Voikko",
                (Analysis::Full, false, false) => "without Voikko and the Swedish dictionary",
            };
            let mut cx = AskContext::now();
            // A fixed Monday noon, so that no figure depends on when it was measured.
            cx.now = chrono::TimeZone::with_ymd_and_hms(&chrono_tz::Europe::Helsinki, 2026, 11, 23, 12, 0, 0)
                .single()
                .context("a valid fixed date")?;
            let mut below = Vec::new();
            for file in &files {
                let items = lahiapu::eval::read(file)?;
                let score = lahiapu::eval::score(&assistant, &items, &cx)?;
                println!("{} — {} questions — analysis: {mode}", file.display(), score.questions);
                print!("{}", score.table());
                if json {
                    let mut v = serde_json::to_value(&score)?;
                    if let Some(o) = v.as_object_mut() {
                        o.remove("failures");
                        o.insert("mode".into(), mode.into());
                        o.insert("file".into(), file.display().to_string().into());
                    }
                    println!("{v}");
                }
                if show_failures && !score.failures.is_empty() {
                    println!("failures:");
                    for f in &score.failures {
                        println!("  {f}");
                    }
                }
                let low = |c: lahiapu::eval::Count| c.share() < 0.95;
                if low(score.top3) || low(score.place) || low(score.language) {
                    below.push(format!("{}: top-3, place or language below 0.95", file.display()));
                }
                if score.crisis.share() < 1.0 || score.refused.share() < 1.0 {
                    below.push(format!("{}: a crisis missed or an off-topic question answered", file.display()));
                }
            }
            if check && !below.is_empty() {
                bail!("below target:\n{}", below.join("\n"));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Ask { knowledge, json, place, analysis, explain, question } => {
            let assistant = knowledge.assistant_with(analysis.into())?;
            let mut cx = AskContext::now();
            cx.default_place = resolve(&assistant, place.as_deref())?;
            let mut out = std::io::stdout().lock();
            let answer_one = |q: &str, out: &mut dyn Write| -> Result<()> {
                let understood = assistant.understand(q, &cx);
                if explain {
                    let words: Vec<&str> = understood.words.iter().map(|w| w.exact.as_str()).collect();
                    let i = &understood.intent;
                    let top: Vec<String> = i.categories.iter().take(4).map(|(c, s)| format!("{c} {s:.2}")).collect();
                    let profiles = assistant.profiles();
                    let forms =
                        lahiapu::search::profile::Forms::of(&understood.words, &understood.tokens, understood.lang);
                    let per_word: Vec<String> = understood
                        .words
                        .iter()
                        .filter_map(|w| {
                            let e = profiles.of(w, understood.lang, &forms)?;
                            let (i, v) = e.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1))?;
                            Some(format!(
                                "{} ({}) {} {v:.2}",
                                w.exact,
                                w.stems.iter().chain(&w.bases).map(String::as_str).collect::<Vec<_>>().join("/"),
                                profiles.slugs()[i]
                            ))
                        })
                        .collect();
                    eprintln!("evidence [{}]", per_word.join(", "));
                    eprintln!(
                        "words {words:?}\nintent strength {:.2} clearest word {:.2} who {:?} not_ours {} leisure {} [{}]",
                        i.strength,
                        i.clearest_word,
                        i.who,
                        i.not_ours,
                        i.leisure,
                        top.join(", ")
                    );
                }
                let answer = assistant.answer(&understood, &cx)?;
                if json {
                    writeln!(out, "{}", serde_json::to_string(&answer)?)?;
                } else if question.is_empty() {
                    // Batch mode: one line per question.
                    writeln!(out, "{}", answer.reply.split_whitespace().collect::<Vec<_>>().join(" "))?;
                } else {
                    writeln!(out, "{}", answer.reply)?;
                }
                Ok(())
            };
            if question.is_empty() {
                for line in std::io::stdin().lock().lines() {
                    let line = line.context("cannot read standard input")?;
                    if !line.trim().is_empty() {
                        answer_one(&line, &mut out)?;
                    }
                }
            } else {
                answer_one(&question.join(" "), &mut out)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        #[cfg(feature = "matrix")]
        Command::Run { config } => {
            run_bot(&config).map_err(|e| anyhow::anyhow!(lahiapu::matrix::redact::blank(&format!("{e:#}"))))?;
            Ok(ExitCode::SUCCESS)
        }
        #[cfg(feature = "matrix")]
        Command::Report { what, config, json } => {
            use lahiapu::matrix::report;
            let config = lahiapu::matrix::Config::load(&config)?;
            let store = lahiapu::matrix::store::Store::open_existing(&config.matrix.store)?;
            match what {
                ReportKind::Cases => {
                    let r = report::cases(&store.case_facts()?);
                    if json {
                        println!("{}", serde_json::to_string_pretty(&r)?)
                    } else {
                        print!("{}", report::render(&r))
                    }
                }
                ReportKind::Gaps => {
                    let r = report::GapReport { gaps: store.gaps()?, votes: store.votes()? };
                    if json {
                        println!("{}", serde_json::to_string_pretty(&r)?)
                    } else {
                        print!("{}", report::render_gaps(&r))
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Chat { knowledge, place } => {
            let assistant = knowledge.assistant()?;
            chat(&assistant, resolve(&assistant, place.as_deref())?)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The Matrix bot until Ctrl-C or SIGTERM, or until it cannot go on (an error, e.g. a
/// revoked token, which makes the process exit non-zero).
#[cfg(feature = "matrix")]
fn run_bot(config: &std::path::Path) -> Result<()> {
    let config = lahiapu::matrix::Config::load(config)?;
    init_logging(DEFAULT_RUN_LOG, config.logging.json);
    let knowledge = knowledge::load(&config.bot.knowledge, lahiapu::today_in_finland())?.into_valid()?;
    let assistant = std::sync::Arc::new(Assistant::new(knowledge, Assistant::load_voikko())?);
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async {
        let bot = lahiapu::matrix::Bot::start(config, assistant).await?;
        // SIGHUP reads the knowledge again.
        #[cfg(unix)]
        let mut hangups = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())
            .context("cannot listen for SIGHUP")?;
        let failure = loop {
            #[cfg(unix)]
            let hangup = hangups.recv();
            #[cfg(not(unix))]
            let hangup = std::future::pending::<Option<()>>();
            tokio::select! {
                _ = shutdown_signal() => break None,
                reason = bot.failed() => break Some(reason),
                _ = hangup => {
                    tracing::info!("SIGHUP: reading the knowledge again");
                    bot.reload();
                }
            }
        };
        tracing::info!("stopping");
        bot.stop().await?;
        match failure {
            Some(reason) => bail!("the bot stopped: {reason}"),
            None => Ok(()),
        }
    })
}

/// Ctrl-C or SIGTERM.
#[cfg(feature = "matrix")]
async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => {
                let _ = ctrl_c.await;
                return;
            }
        };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

/// A place as JSON: `{"municipality": "853"}` or `{"region": "05"}`.
fn place_json(place: &Place) -> serde_json::Value {
    match place {
        Place::Municipality(code) => serde_json::json!({ "municipality": code }),
        Place::Region(code) => serde_json::json!({ "region": code }),
    }
}

fn resolve(assistant: &Assistant, place: Option<&str>) -> Result<Option<Place>> {
    match place {
        None => Ok(None),
        Some(name) => match assistant.resolve_place(name) {
            Some(p) => Ok(Some(p)),
            None => bail!("unknown place {name:?}: give a municipality or region by name or code"),
        },
    }
}

/// A conversation: the place and language of earlier messages carry over ([`Conversation`]), as in a DM.
fn chat(assistant: &Assistant, place: Option<Place>) -> Result<()> {
    let locales = assistant.locales();
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{}\n{}\n",
        locales.text(Lang::Fi, "chat-welcome", &[]),
        locales.text(Lang::Sv, "chat-welcome", &[])
    )?;
    let mut conversation = Conversation::new(place);
    let stdin = std::io::stdin();
    loop {
        write!(out, "> ")?;
        out.flush()?;
        let mut line = String::new();
        if stdin.lock().read_line(&mut line)? == 0 {
            break;
        }
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if matches!(line.to_lowercase().as_str(), "/lopeta" | "/sluta" | "/quit" | "/exit") {
            break;
        }
        let now = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Helsinki);
        let answer = conversation.ask(assistant, line, now)?;
        writeln!(out, "\n{}\n", answer.reply)?;
    }
    let lang = conversation.lang();
    writeln!(out, "{}", locales.text(lang.unwrap_or(Lang::Fi), "chat-bye", &[]))?;
    Ok(())
}
