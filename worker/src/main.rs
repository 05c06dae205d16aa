use std::sync::Arc;

use clap::{Parser, Subcommand};
use shared::backends::{check_media_tools, Backends};
use tokio_util::sync::CancellationToken;
use worker::{Pipeline, Worker};

/// Clipcontest's conversion worker: takes jobs from the queue, converts videos, sends mail.
#[derive(Parser)]
#[command(version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Process jobs until SIGTERM/SIGINT (the default).
    Run,
    /// Show what the worker would do with a file: probe facts, verdict, plan and the ffmpeg argv
    /// (JSON on stdout). Touches no database.
    Inspect { file: std::path::PathBuf },
    /// Move every message from the dead-letter queue back to the job queue (AWS mode), after
    /// the cause of the failures was fixed; prints how many were moved.
    DlqRedrive,
}

#[tokio::main]
async fn main() {
    let Cli { command } = Cli::parse();
    if let Err(e) = run(command.unwrap_or(Command::Run)).await {
        eprintln!("worker: {e:#}");
        std::process::exit(1);
    }
}

async fn run(command: Command) -> anyhow::Result<()> {
    let settings = Arc::new(shared::Settings::load(&shared::aws::SecretsManager).await?);
    shared::telemetry::init("info", settings.log_format);
    if let Command::Inspect { file } = &command {
        check_media_tools(&settings).await?;
        let report = worker::inspect::inspect(&settings.media, file).await?;
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    if matches!(command, Command::Run) {
        check_media_tools(&settings).await?;
    }
    let backends = Backends::build(&settings).await?;
    match command {
        Command::Inspect { .. } => unreachable!("handled above"),
        Command::DlqRedrive => {
            let moved = backends.queue.redrive_dead_letters().await?;
            println!("moved {moved} message(s) from the dead-letter queue back to the job queue");
        }
        Command::Run => {
            let cancel = CancellationToken::new();
            tokio::spawn(shared::telemetry::cancel_on_signal(cancel.clone()));
            Worker::new(Pipeline::new(backends, settings))
                .run_until_stopped(cancel)
                .await;
        }
    }
    Ok(())
}
