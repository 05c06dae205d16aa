//! The conversion worker: runs standalone (`worker` binary) or inside the web process.
pub mod backfill;
pub mod ffmpeg;
pub mod inspect;
pub mod ladder;
pub mod pipeline;
pub mod runner;
pub mod scratch;

pub use pipeline::{Outcome, Pipeline};
pub use runner::{Step, Worker};
