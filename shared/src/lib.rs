//! What web and worker share: domain types, settings, DB access and one trait per outside system.
pub mod aws;
pub mod backends;
pub mod config;
pub mod db;
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
