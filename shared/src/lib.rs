//! What web and worker share: domain types, settings, DB access and one trait per outside system.
//!
//! - `domain`: parsed values, typed ids and row states; `db`: the only code that writes SQL.
//! - `storage`, `queue`, `mail`: one trait each, two backends each; `backends` builds them from
//!   `config::Settings` (to add a backend: a settings variant, the trait, an arm there).
//! - `jobs`: the job payloads; a job is written in the caller's DB transaction (`db`), relayed
//!   to SQS on AWS (`queue::SqsQueue`) and run by the `worker` crate.
//! - `media`: probe, validate, plan and ffmpeg argv, used by the upload check and the worker.
//! - `mail::compose`: the mails' texts (templates in `shared/templates/email/`, sentences in
//!   `shared/locales/`), written into the outbox by web and worker alike.
//! - `sweeper`, `digest`: the web tier's periodic tasks (leftovers; the organizer's digest of
//!   new entries), safe to run on several instances at once.
pub mod aws;
pub mod backends;
pub mod config;
pub mod db;
pub mod digest;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod jobs;
pub mod jury;
pub mod limits;
pub mod mail;
pub mod media;
pub mod metrics;
pub mod process;
pub mod queue;
pub mod storage;
pub mod sweeper;
pub mod telemetry;
pub mod time;

pub use config::Settings;
