//! `loadtest`: proof under load and faults, on one machine (see docs/reliability.md).
//!
//! Starts its own Synapse (`scripts/dev-homeserver`), the bot (`lahiapu run`, a child
//! process it can `kill -9`), residents as matrix-sdk clients in public rooms, and an echo
//! bot in the same rooms; sends questions at a given rate for a given time; and counts, for
//! every question, how many answers the bot sent (from the rooms' history) and how long the
//! first took to show up in the asker's own sync, beside the echo bot's answer to the same
//! question. Every run is bounded in count and time and stops by itself; it exits non-zero
//! if any question was lost or answered twice.
//!
//! ```text
//! loadtest --scenario steady --rate 50 --seconds 60 --rooms 20 --residents 20
//! loadtest --scenario kill        # kill -9 of the bot in the middle, restarted 2 s later
//! loadtest --scenario synapse     # Synapse stopped for 10 s in the middle
//! loadtest --scenario flood       # one user sends 1 000 messages while others ask
//! loadtest --scenario cases       # escalation cases relayed across a kill -9
//! loadtest --short                # CI: a stop, a kill -9 and a Synapse restart, small
//! ```

mod cases;
mod clients;
mod load;
mod procs;
mod stats;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::{Parser, ValueEnum};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scenario {
    /// Questions at a steady rate.
    Steady,
    /// `kill -9` of the bot in the middle, restarted after `--restart-after` seconds.
    Kill,
    /// Synapse stopped in the middle for `--outage` seconds.
    Synapse,
    /// One user sends `--flood` messages in the middle while the others ask.
    Flood,
    /// Escalation cases open across a `kill -9`: every relay exactly once.
    Cases,
    /// A stop and restart, a `kill -9` and a Synapse restart in one run (what CI runs).
    Faults,
}

#[derive(Debug, Clone, Parser)]
#[command(name = "loadtest", about = "Lähiapu under load and faults, against a Synapse of its own")]
pub struct Args {
    #[arg(long, value_enum, default_value = "steady")]
    pub scenario: Scenario,
    /// Questions per second (all rooms together).
    #[arg(long, default_value_t = 50.0)]
    pub rate: f64,
    /// How long questions are sent.
    #[arg(long, default_value_t = 60)]
    pub seconds: u64,
    /// Public rooms the bot serves.
    #[arg(long, default_value_t = 20)]
    pub rooms: usize,
    /// Residents asking (each in one room or more).
    #[arg(long, default_value_t = 20)]
    pub residents: usize,
    /// The CI run: `--scenario faults`, 4 rooms, 4 residents, 2 questions/s for 60 s.
    #[arg(long)]
    pub short: bool,
    /// The bot's binary (default: `lahiapu` beside this one).
    #[arg(long, value_name = "FILE")]
    pub bot: Option<PathBuf>,
    /// The repository (scripts/dev-homeserver and knowledge/).
    #[arg(long, value_name = "DIR", default_value = env!("CARGO_MANIFEST_DIR"))]
    pub repo: PathBuf,
    /// Where the homeserver, the bot's store and the logs go (default: a new folder in /tmp).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Keep the folder afterwards (it is kept anyway when the run fails).
    #[arg(long)]
    pub keep: bool,
    /// Also write the figures as JSON here.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Seconds between the `kill -9` and the restart.
    #[arg(long, default_value_t = 2.0)]
    pub restart_after: f64,
    /// Seconds Synapse stays down.
    #[arg(long, default_value_t = 10.0)]
    pub outage: f64,
    /// The bot's `catch_up_minutes`.
    #[arg(long, default_value_t = 15)]
    pub catch_up_minutes: u64,
    /// How long to wait at most for the last answers after the last question.
    #[arg(long, default_value_t = 180)]
    pub drain: u64,
    /// Messages of the flooding user.
    #[arg(long, default_value_t = 1000)]
    pub flood: usize,
    /// How fast the flooding user sends them (per second).
    #[arg(long, default_value_t = 100.0)]
    pub flood_rate: f64,
    /// Escalation cases (scenario `cases`).
    #[arg(long, default_value_t = 8)]
    pub cases: usize,
    /// Volunteer answers per case, and as many follow-ups by the resident (scenario `cases`).
    #[arg(long, default_value_t = 10)]
    pub replies: usize,
    /// The bot's RUST_LOG.
    #[arg(long, default_value = "info")]
    pub bot_log: String,
    /// The bot's `[sending] in_flight` (its default if not given).
    #[arg(long)]
    pub bot_in_flight: Option<u32>,
    /// The bot's `[sending] per_room` (its default if not given).
    #[arg(long)]
    pub bot_per_room: Option<u32>,
}

impl Args {
    fn normalised(mut self) -> Self {
        if self.short {
            self.scenario = Scenario::Faults;
            self.rooms = 4;
            self.residents = 4;
            self.rate = 2.0;
            self.seconds = 60;
            self.outage = 5.0;
        }
        self.rooms = self.rooms.max(1);
        self.residents = self.residents.max(1);
        self.rate = self.rate.clamp(0.1, 1000.0);
        self.seconds = self.seconds.clamp(5, 3600);
        self.flood = self.flood.min(100_000);
        self
    }
}

/// Which build this is (the figures say where they come from).
pub fn build() -> &'static str {
    if cfg!(debug_assertions) { "debug" } else { "release" }
}

fn main() -> ExitCode {
    let args = Args::parse().normalised();
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("loadtest: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("loadtest: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// The work folder, the bot binary; then the scenario. `Ok(false)`: something was lost or
/// doubled.
async fn run(args: Args) -> Result<bool> {
    let dir = match &args.dir {
        Some(d) => d.clone(),
        None => std::env::temp_dir().join(format!("lahiapu-loadtest-{}-{}", std::process::id(), stamp())),
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let bot = match &args.bot {
        Some(b) => b.clone(),
        None => std::env::current_exe().context("where am I")?.with_file_name("lahiapu"),
    };
    anyhow::ensure!(
        bot.is_file(),
        "the bot binary {} does not exist: build it (cargo build [--release]) or pass --bot",
        bot.display()
    );
    eprintln!("loadtest: {:?} in {} (bot {}, {} build)", args.scenario, dir.display(), bot.display(), build());
    let ok = match args.scenario {
        Scenario::Cases => cases::run(&args, &dir, &bot).await?,
        _ => load::run(&args, &dir, &bot).await?,
    };
    if ok && !args.keep {
        let _ = std::fs::remove_dir_all(&dir);
    } else {
        eprintln!("loadtest: the homeserver's and the bot's files and logs are in {}", dir.display());
    }
    Ok(ok)
}

fn stamp() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}
