//! The conversion worker: runs standalone (`worker` binary) or inside the web process.
pub mod emails;
pub mod ffmpeg;
pub mod inspect;
pub mod pipeline;
pub mod probe;
pub mod runner;

pub use pipeline::{Outcome, Pipeline};
pub use runner::{Step, Worker};
