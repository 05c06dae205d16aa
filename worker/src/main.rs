use std::sync::Arc;

use clap::{Parser, Subcommand};
use shared::backends::{check_media_tools, Backends};
use shared::sweeper::{Scope, Sweeper};
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
    /// Add HLS to videos converted before HLS existed (resumable: run it again after a crash;
    /// videos that already have HLS are skipped). Prints one progress line per video.
    BackfillHls,
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
        let threads = shared::media::threads(settings.media.threads, settings.encode_concurrency());
        let report = worker::inspect::inspect(&settings.media, threads, file).await?;
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    if matches!(command, Command::Run | Command::BackfillHls) {
        check_media_tools(&settings).await?;
    }
    let backends = Backends::build(&settings).await?;
    match command {
        Command::Inspect { .. } => unreachable!("handled above"),
        Command::DlqRedrive => {
            let moved = backends.queue.redrive_dead_letters().await?;
            println!("moved {moved} message(s) from the dead-letter queue back to the job queue");
        }
        Command::BackfillHls => {
            let summary =
                worker::backfill::run(&backends, &settings, &mut std::io::stdout()).await?;
            if summary.failed > 0 {
                anyhow::bail!(
                    "{} video(s) could not get HLS; run the command again to retry them",
                    summary.failed
                );
            }
        }
        Command::Run => {
            let cancel = CancellationToken::new();
            tokio::spawn(shared::telemetry::cancel_on_signal(cancel.clone()));
            // This machine's job temp folders; the web tier sweeps storage and the database.
            let sweeper = Sweeper::spawn(
                backends.clone(),
                settings.clone(),
                Scope::ThisHost,
                cancel.clone(),
            );
            Worker::new(Pipeline::new(backends, settings))
                .run_until_stopped(cancel)
                .await;
            if let Some(s) = sweeper {
                let _ = s.await;
            }
        }
    }
    Ok(())
}
