//! Where files live: a folder locally, S3 on AWS. Handlers and the worker only see this trait.
mod cdn;
pub mod hls;
mod local;
mod s3;

use std::path::{Path, PathBuf};

use bytes::Bytes;
use futures::stream::BoxStream;

pub use cdn::CdnSigner;
pub use local::LocalStorage;
pub use s3::{S3Storage, PART_SIZE};

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The stream went past the allowed size; nothing was kept.
    #[error("the file is larger than the limit of {limit} bytes")]
    TooLarge { limit: u64 },
    /// The client's stream failed (disconnect, malformed multipart); nothing was kept.
    #[error("the upload was interrupted: {0}")]
    Client(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("storage I/O error: {0}")]
    Io(#[from] std::io::Error),
    #[error("storage backend error: {0}")]
    Backend(String),
}

/// What ffprobe/ffmpeg can open for a stored object without copying it first.
#[derive(Debug, Clone)]
pub enum MediaSource {
    Path(PathBuf),
    Url(String),
}

/// Key layout: `originals/{video}/original` (never public), `media/{video}/video.mp4|poster.jpg`,
/// `banners/{contest}/{file}`.
///
/// HLS (written by the worker, served by the media handler / CDN):
/// `media/{video}/hls/master.m3u8` (written by the app: BANDWIDTH, RESOLUTION, CODECS per rung),
/// `media/{video}/hls/{rung}p/index.m3u8`, `.../{rung}p/init.mp4`, `.../{rung}p/seg_00001.m4s`...
/// (rung = the short side: 1080, 720, 480, 360), and the audio rendition shared by every rung in
/// `media/{video}/hls/audio/{index.m3u8,init.mp4,seg_00001.m4s...}` (absent for a silent video).
/// `videos.hls_rungs` (`"720,480,360"`, highest first) says which rungs exist; NULL = no HLS yet.
pub mod keys {
    use crate::domain::{ContestId, VideoId};

    /// The folder of a video's outputs (`media/{video}`: MP4, poster, HLS).
    pub fn media_prefix(video_id: &VideoId) -> String {
        format!("media/{video_id}")
    }
    pub fn original(video_id: &VideoId) -> String {
        format!("originals/{video_id}/original")
    }
    pub fn mp4(video_id: &VideoId) -> String {
        format!("media/{video_id}/video.mp4")
    }
    pub fn poster(video_id: &VideoId) -> String {
        format!("media/{video_id}/poster.jpg")
    }
    /// The participant's subtitles, checked and written again as WebVTT at upload.
    pub fn captions(video_id: &VideoId) -> String {
        format!("media/{video_id}/captions.vtt")
    }
    /// The folder of a video's HLS files (`media/{video}/hls/`).
    pub fn hls_prefix(video_id: &VideoId) -> String {
        format!("media/{video_id}/hls/")
    }
    /// One HLS file: `rel` is relative to the HLS folder (`720p/seg_00001.m4s`, `master.m3u8`).
    pub fn hls(video_id: &VideoId, rel: &str) -> String {
        format!("media/{video_id}/hls/{rel}")
    }
    pub fn hls_master(video_id: &VideoId) -> String {
        hls(video_id, "master.m3u8")
    }
    /// The folder of a contest's banners (`banners/{contest}`).
    pub fn banner_prefix(contest_id: &ContestId) -> String {
        format!("banners/{contest_id}")
    }
    pub fn banner(contest_id: &ContestId, name: &str) -> String {
        format!("banners/{contest_id}/{name}")
    }
}

#[async_trait::async_trait]
pub trait Storage: Send + Sync {
    /// Streams `body` into `key`, chunk by chunk, failing with `TooLarge` as soon as more than
    /// `max_bytes` arrive. On any error nothing is left behind. Returns the stored size.
    async fn put_stream(
        &self,
        key: &str,
        content_type: &str,
        body: BoxStream<'_, Result<Bytes, StorageError>>,
        max_bytes: u64,
    ) -> Result<u64, StorageError>;

    /// Stores a finished local file (the worker's outputs). The file may be moved.
    async fn put_file(
        &self,
        key: &str,
        content_type: &str,
        path: &Path,
    ) -> Result<(), StorageError>;

    /// Makes the object available at `dest` (a hard link or copy locally, a download on S3).
    async fn fetch_to_file(&self, key: &str, dest: &Path) -> Result<(), StorageError>;

    /// Something ffprobe can read in place (the upload check runs before any copy).
    async fn media_source(&self, key: &str) -> Result<MediaSource, StorageError>;

    async fn delete(&self, key: &str) -> Result<(), StorageError>;

    /// Keys under a prefix (operators' tools and tests; not on a request path).
    async fn list(&self, prefix: &str) -> Result<Vec<String>, StorageError>;

    /// Deletes every object under a prefix (a video's or contest's folder).
    async fn delete_prefix(&self, prefix: &str) -> Result<(), StorageError>;

    /// The URL a browser uses for a public object (converted media, banners).
    async fn public_url(&self, key: &str) -> Result<String, StorageError>;

    /// Browser URLs for many objects of one video folder at once (an HLS playlist's segments);
    /// backends that sign do it once per folder where they can.
    async fn media_urls(&self, keys: &[String]) -> Result<Vec<String>, StorageError> {
        let mut out = Vec::with_capacity(keys.len());
        for k in keys {
            out.push(self.public_url(k).await?);
        }
        Ok(out)
    }

    /// A small object's whole content (playlists), refused past `max_bytes`.
    async fn read_small(&self, key: &str, max_bytes: u64) -> Result<Bytes, StorageError>;

    /// Local path for serving with Range support, when the backend is a folder.
    fn local_path(&self, key: &str) -> Option<PathBuf>;

    /// Health check.
    async fn check(&self) -> Result<(), StorageError>;

    /// Keys under a prefix with their last-modified time (epoch ms), for the sweeper.
    async fn list_modified(&self, prefix: &str) -> Result<Vec<(String, i64)>, StorageError>;

    /// Removes uploads that were started before `before_ms` and never finished (local partial
    /// files, S3 multipart uploads): what a crash mid-upload leaves. Returns how many.
    async fn sweep_partials(&self, before_ms: i64) -> Result<usize, StorageError>;
}
