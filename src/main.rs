//! The `lahiapu` command: a thin layer over the library.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

use lahiapu::knowledge;

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
        /// The knowledge folder (default: ./knowledge, else the one shipped with the source).
        #[arg(long, value_name = "DIR")]
        knowledge: Option<PathBuf>,
        /// Check dates against this day instead of today (YYYY-MM-DD).
        #[arg(long, value_name = "DATE", hide = true)]
        today: Option<chrono::NaiveDate>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
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
            let dir = knowledge.unwrap_or_else(knowledge::default_dir);
            let report = knowledge::load(&dir, today.unwrap_or_else(lahiapu::today_in_finland))?;
            for d in &report.diagnostics {
                println!("{d}");
            }
            let (errors, warnings) = (report.errors(), report.warnings());
            let services = report.knowledge.services.len();
            eprintln!("{}: {services} services loaded, {errors} error(s), {warnings} warning(s)", dir.display());
            Ok(if errors == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
    }
}
