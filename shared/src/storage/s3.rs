//! S3 storage: streamed multipart uploads with a size cap, presigned or CDN URLs.
use std::path::{Path, PathBuf};
use std::time::Duration;

use aws_sdk_s3::error::{DisplayErrorContext, SdkError};
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart, Delete, ObjectIdentifier};
use aws_sdk_s3::Client;
use bytes::{Bytes, BytesMut};
use futures::stream::BoxStream;
use futures::StreamExt;
use tokio::io::AsyncWriteExt;

use super::{CdnSigner, MediaSource, Storage, StorageError};

/// Multipart part size. S3's minimum is 5 MiB (except the last part); 8 MiB keeps memory per
/// upload at about one part while allowing 80 GiB objects within the 10,000-part limit.
pub const PART_SIZE: usize = 8 * 1024 * 1024;
/// ffprobe/ffmpeg read the original through this URL; a probe takes seconds, so 15 min is plenty.
const MEDIA_URL_TTL: Duration = Duration::from_secs(15 * 60);
/// Banner URLs when no CDN is configured; an hour outlives a page view.
const PUBLIC_URL_TTL: Duration = Duration::from_secs(60 * 60);
/// Default lifetime of media URLs (presigned or CDN-signed); see `with_media_url_ttl`.
pub const DEFAULT_MEDIA_URL_TTL: Duration = Duration::from_secs(10 * 60);

pub struct S3Storage {
    client: Client,
    bucket: String,
    /// Prepended to every key (empty, or ending in `/`).
    prefix: String,
    /// CDN origin serving the bucket's public keys (`media/`, `banners/`), without trailing `/`.
    cdn_base_url: Option<String>,
    /// Signs CDN URLs (CloudFront key pair); `None` leaves CDN URLs unsigned.
    signer: Option<CdnSigner>,
    /// Lifetime of presigned `media/` URLs (MP4, poster, HLS segments): hiding a video stops
    /// playback within it.
    media_url_ttl: Duration,
}

/// `media/{id}` for a key inside a video folder.
fn video_folder(key: &str) -> Option<&str> {
    let rest = key.strip_prefix("media/")?;
    let (id, file) = rest.split_once('/')?;
    (!id.is_empty() && !file.is_empty()).then(|| &key[..6 + id.len()])
}

fn backend<E: std::error::Error + Send + Sync + 'static, R: std::fmt::Debug>(
    what: &str,
    e: SdkError<E, R>,
) -> StorageError {
    StorageError::Backend(format!("S3 {what} failed: {}", DisplayErrorContext(e)))
}

impl S3Storage {
    pub fn new(
        client: Client,
        bucket: &str,
        prefix: Option<&str>,
        cdn_base_url: Option<&str>,
    ) -> Self {
        let prefix = match prefix
            .map(|p| p.trim_matches('/'))
            .filter(|p| !p.is_empty())
        {
            Some(p) => format!("{p}/"),
            None => String::new(),
        };
        Self {
            client,
            bucket: bucket.to_string(),
            prefix,
            cdn_base_url: cdn_base_url
                .map(|u| u.trim_end_matches('/').to_string())
                .filter(|u| !u.is_empty()),
            signer: None,
            media_url_ttl: DEFAULT_MEDIA_URL_TTL,
        }
    }

    /// Signs CDN URLs with this key pair (only meaningful with a CDN base URL).
    pub fn with_signer(mut self, signer: Option<CdnSigner>) -> Self {
        self.signer = signer;
        self
    }

    pub fn with_media_url_ttl(mut self, ttl: Duration) -> Self {
        self.media_url_ttl = ttl;
        self
    }

    /// The CDN URL of a key, signed when a signer is set: for a key inside a video folder the
    /// policy covers the whole folder (`{cdn}/{prefix}media/{id}/*`), otherwise the object.
    fn cdn_url(&self, base: &str, key: &str) -> Result<String, StorageError> {
        let url = format!("{base}/{}", self.object_key(key));
        let Some(signer) = &self.signer else {
            return Ok(url);
        };
        let resource = match video_folder(key) {
            Some(folder) => format!("{base}/{}/*", self.object_key(folder)),
            None => url.clone(),
        };
        let query = signer.query_for(&resource).map_err(StorageError::Backend)?;
        Ok(format!("{url}?{query}"))
    }

    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    /// Every object under a full prefix (ListObjectsV2, all pages): its full key and when it
    /// was last modified (epoch ms).
    async fn list_full(&self, full_prefix: &str) -> Result<Vec<(String, i64)>, StorageError> {
        let mut out = Vec::new();
        let mut pages = self
            .client
            .list_objects_v2()
            .bucket(&self.bucket)
            .prefix(full_prefix)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| backend("ListObjectsV2", e))?;
            out.extend(
                page.contents
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|o| {
                        let at = o.last_modified.map_or(0, |t| t.to_millis().unwrap_or(0));
                        Some((o.key?, at))
                    }),
            );
        }
        Ok(out)
    }

    /// The objects of an application folder, as application keys with their modification time.
    async fn list_folder(&self, prefix: &str) -> Result<Vec<(String, i64)>, StorageError> {
        let full = format!("{}/", self.object_key(prefix.trim_end_matches('/')));
        let objects = self.list_full(&full).await?;
        Ok(objects
            .into_iter()
            .filter_map(|(k, at)| Some((k.strip_prefix(self.prefix.as_str())?.to_string(), at)))
            .collect())
    }

    /// The object key for an application key.
    pub fn object_key(&self, key: &str) -> String {
        format!("{}{}", self.prefix, key)
    }

    async fn presign_get(&self, key: &str, ttl: Duration) -> Result<String, StorageError> {
        let conf = PresigningConfig::expires_in(ttl)
            .map_err(|e| StorageError::Backend(format!("presigning: {e}")))?;
        let req = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(self.object_key(key))
            .presigned(conf)
            .await
            .map_err(|e| backend("presign GetObject", e))?;
        Ok(req.uri().to_string())
    }

    async fn start_multipart(
        &self,
        key: &str,
        content_type: &str,
    ) -> Result<MultipartGuard, StorageError> {
        let out = self
            .client
            .create_multipart_upload()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .send()
            .await
            .map_err(|e| backend("CreateMultipartUpload", e))?;
        let upload_id = out.upload_id.ok_or_else(|| {
            StorageError::Backend("S3 CreateMultipartUpload returned no upload id".into())
        })?;
        Ok(MultipartGuard {
            client: self.client.clone(),
            bucket: self.bucket.clone(),
            key: key.to_string(),
            upload_id: Some(upload_id),
            parts: Vec::new(),
        })
    }
}

/// An open multipart upload. Dropped while still open (an error, or the request future dropped
/// on a client disconnect) it aborts the upload in the background, so no parts are left billed.
struct MultipartGuard {
    client: Client,
    bucket: String,
    key: String,
    upload_id: Option<String>,
    parts: Vec<CompletedPart>,
}

impl MultipartGuard {
    fn id(&self) -> &str {
        self.upload_id.as_deref().unwrap_or_default()
    }

    async fn upload_part(&mut self, body: Bytes) -> Result<(), StorageError> {
        let number = i32::try_from(self.parts.len() + 1)
            .map_err(|_| StorageError::Backend("too many parts".into()))?;
        let out = self
            .client
            .upload_part()
            .bucket(&self.bucket)
            .key(&self.key)
            .upload_id(self.id())
            .part_number(number)
            .body(ByteStream::from(body))
            .send()
            .await
            .map_err(|e| backend("UploadPart", e))?;
        self.parts.push(
            CompletedPart::builder()
                .part_number(number)
                .set_e_tag(out.e_tag)
                .build(),
        );
        Ok(())
    }

    async fn complete(mut self) -> Result<(), StorageError> {
        let parts = std::mem::take(&mut self.parts);
        self.client
            .complete_multipart_upload()
            .bucket(&self.bucket)
            .key(&self.key)
            .upload_id(self.id())
            .multipart_upload(
                CompletedMultipartUpload::builder()
                    .set_parts(Some(parts))
                    .build(),
            )
            .send()
            .await
            .map_err(|e| backend("CompleteMultipartUpload", e))?;
        self.upload_id = None;
        Ok(())
    }

    /// Aborts now (the error path awaits it so nothing is left when `put_stream` returns).
    async fn abort(mut self) {
        if let Some(id) = self.upload_id.take() {
            abort_upload(&self.client, &self.bucket, &self.key, &id).await;
        }
    }
}

async fn abort_upload(client: &Client, bucket: &str, key: &str, upload_id: &str) {
    if let Err(e) = client
        .abort_multipart_upload()
        .bucket(bucket)
        .key(key)
        .upload_id(upload_id)
        .send()
        .await
    {
        // The bucket's lifecycle rule for incomplete uploads is the backstop.
        tracing::warn!(key, error = %DisplayErrorContext(e), "could not abort S3 multipart upload");
    }
}

impl Drop for MultipartGuard {
    fn drop(&mut self) {
        let Some(id) = self.upload_id.take() else {
            return;
        };
        let Ok(rt) = tokio::runtime::Handle::try_current() else {
            tracing::warn!(key = %self.key, "multipart upload dropped outside a runtime; left to the lifecycle rule");
            return;
        };
        let (client, bucket, key) = (self.client.clone(), self.bucket.clone(), self.key.clone());
        rt.spawn(async move { abort_upload(&client, &bucket, &key, &id).await });
    }
}

#[async_trait::async_trait]
impl Storage for S3Storage {
    async fn put_stream(
        &self,
        key: &str,
        content_type: &str,
        mut body: BoxStream<'_, Result<Bytes, StorageError>>,
        max_bytes: u64,
    ) -> Result<u64, StorageError> {
        let object_key = self.object_key(key);
        let mut upload: Option<MultipartGuard> = None;
        let mut buf = BytesMut::new();
        let mut total: u64 = 0;
        let result: Result<(), StorageError> = async {
            while let Some(chunk) = body.next().await {
                let chunk = chunk?;
                total += chunk.len() as u64;
                if total > max_bytes {
                    return Err(StorageError::TooLarge { limit: max_bytes });
                }
                buf.extend_from_slice(&chunk);
                // One part in memory at a time: upload it before reading more of the body.
                while buf.len() >= PART_SIZE {
                    let part = buf.split_to(PART_SIZE).freeze();
                    if upload.is_none() {
                        upload = Some(self.start_multipart(&object_key, content_type).await?);
                    }
                    if let Some(u) = upload.as_mut() {
                        u.upload_part(part).await?;
                    }
                }
            }
            Ok(())
        }
        .await;
        if let Err(e) = result {
            if let Some(u) = upload {
                u.abort().await;
            }
            return Err(e);
        }
        match upload {
            None => {
                self.client
                    .put_object()
                    .bucket(&self.bucket)
                    .key(&object_key)
                    .content_type(content_type)
                    .body(ByteStream::from(buf.freeze()))
                    .send()
                    .await
                    .map_err(|e| backend("PutObject", e))?;
            }
            Some(mut u) => {
                let tail: Result<(), StorageError> = async {
                    if !buf.is_empty() {
                        u.upload_part(buf.freeze()).await?;
                    }
                    Ok(())
                }
                .await;
                if let Err(e) = tail {
                    u.abort().await;
                    return Err(e);
                }
                // A failed Complete drops the guard, which aborts.
                u.complete().await?;
            }
        }
        Ok(total)
    }

    async fn put_file(
        &self,
        key: &str,
        content_type: &str,
        path: &Path,
    ) -> Result<(), StorageError> {
        // Worker outputs are far below the 5 GB single-PUT limit; the SDK streams the file.
        let body = ByteStream::from_path(path)
            .await
            .map_err(|e| StorageError::Backend(format!("cannot read {}: {e}", path.display())))?;
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(self.object_key(key))
            .content_type(content_type)
            .body(body)
            .send()
            .await
            .map_err(|e| backend("PutObject", e))?;
        Ok(())
    }

    async fn fetch_to_file(&self, key: &str, dest: &Path) -> Result<(), StorageError> {
        let out = match self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(self.object_key(key))
            .send()
            .await
        {
            Ok(o) => o,
            Err(e) if e.as_service_error().is_some_and(|s| s.is_no_such_key()) => {
                return Err(StorageError::NotFound(key.to_string()))
            }
            Err(e) => return Err(backend("GetObject", e)),
        };
        let mut reader = out.body.into_async_read();
        let mut file = tokio::fs::File::create(dest).await?;
        let copied = tokio::io::copy(&mut reader, &mut file).await;
        if let Err(e) = copied {
            drop(file);
            let _ = tokio::fs::remove_file(dest).await;
            return Err(e.into());
        }
        file.flush().await?;
        Ok(())
    }

    async fn media_source(&self, key: &str) -> Result<MediaSource, StorageError> {
        Ok(MediaSource::Url(
            self.presign_get(key, MEDIA_URL_TTL).await?,
        ))
    }

    async fn delete(&self, key: &str) -> Result<(), StorageError> {
        self.client
            .delete_object()
            .bucket(&self.bucket)
            .key(self.object_key(key))
            .send()
            .await
            .map_err(|e| backend("DeleteObject", e))?;
        Ok(())
    }

    async fn list(&self, prefix: &str) -> Result<Vec<String>, StorageError> {
        let objects = self.list_folder(prefix).await?;
        Ok(objects.into_iter().map(|(k, _)| k).collect())
    }

    async fn delete_prefix(&self, prefix: &str) -> Result<(), StorageError> {
        // A folder, like the local backend: `media/abc` must not take `media/abcd/` with it.
        let prefix = format!("{}/", self.object_key(prefix.trim_end_matches('/')));
        let keys: Vec<String> = self
            .list_full(&prefix)
            .await?
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        // One DeleteObjects accepts at most 1,000 keys.
        for chunk in keys.chunks(1000) {
            let ids = chunk
                .iter()
                .map(|k| ObjectIdentifier::builder().key(k).build())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| StorageError::Backend(e.to_string()))?;
            let delete = Delete::builder()
                .set_objects(Some(ids))
                .quiet(true)
                .build()
                .map_err(|e| StorageError::Backend(e.to_string()))?;
            let out = self
                .client
                .delete_objects()
                .bucket(&self.bucket)
                .delete(delete)
                .send()
                .await
                .map_err(|e| backend("DeleteObjects", e))?;
            if let Some(err) = out.errors.unwrap_or_default().first() {
                return Err(StorageError::Backend(format!(
                    "S3 DeleteObjects could not delete {}: {}",
                    err.key.as_deref().unwrap_or("?"),
                    err.message.as_deref().unwrap_or("?")
                )));
            }
        }
        Ok(())
    }

    async fn public_url(&self, key: &str) -> Result<String, StorageError> {
        match &self.cdn_base_url {
            Some(base) => self.cdn_url(base, key),
            None if video_folder(key).is_some() => self.presign_get(key, self.media_url_ttl).await,
            None => self.presign_get(key, PUBLIC_URL_TTL).await,
        }
    }

    async fn list_modified(&self, prefix: &str) -> Result<Vec<(String, i64)>, StorageError> {
        self.list_folder(prefix).await
    }

    async fn media_urls(&self, keys: &[String]) -> Result<Vec<String>, StorageError> {
        let mut out = Vec::with_capacity(keys.len());
        match (&self.cdn_base_url, &self.signer) {
            (Some(base), Some(signer)) => {
                // One signature per folder serves every segment in it.
                let mut signed: Option<(String, String)> = None;
                for key in keys {
                    let url = format!("{base}/{}", self.object_key(key));
                    let Some(folder) = video_folder(key) else {
                        out.push(self.cdn_url(base, key)?);
                        continue;
                    };
                    if signed.as_ref().is_none_or(|(f, _)| f != folder) {
                        let resource = format!("{base}/{}/*", self.object_key(folder));
                        let q = signer.query_for(&resource).map_err(StorageError::Backend)?;
                        signed = Some((folder.to_string(), q));
                    }
                    let q = signed.as_ref().map(|(_, q)| q.as_str()).unwrap_or_default();
                    out.push(format!("{url}?{q}"));
                }
            }
            _ => {
                for key in keys {
                    out.push(self.public_url(key).await?);
                }
            }
        }
        Ok(out)
    }

    async fn sweep_partials(&self, before_ms: i64) -> Result<usize, StorageError> {
        let out = self
            .client
            .list_multipart_uploads()
            .bucket(&self.bucket)
            .prefix(&self.prefix)
            .send()
            .await
            .map_err(|e| backend("ListMultipartUploads", e))?;
        let mut n = 0;
        for u in out.uploads.unwrap_or_default() {
            let started = u.initiated.map_or(0, |t| t.to_millis().unwrap_or(0));
            if let (Some(key), Some(id)) = (u.key, u.upload_id) {
                if started < before_ms {
                    abort_upload(&self.client, &self.bucket, &key, &id).await;
                    n += 1;
                }
            }
        }
        Ok(n)
    }

    async fn read_small(&self, key: &str, max_bytes: u64) -> Result<Bytes, StorageError> {
        let out = match self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(self.object_key(key))
            .send()
            .await
        {
            Ok(o) => o,
            Err(e) if e.as_service_error().is_some_and(|s| s.is_no_such_key()) => {
                return Err(StorageError::NotFound(key.to_string()))
            }
            Err(e) => return Err(backend("GetObject", e)),
        };
        if out.content_length.unwrap_or(0) > i64::try_from(max_bytes).unwrap_or(i64::MAX) {
            return Err(StorageError::TooLarge { limit: max_bytes });
        }
        let body = out
            .body
            .collect()
            .await
            .map_err(|e| StorageError::Backend(format!("S3 GetObject body: {e}")))?
            .into_bytes();
        if body.len() as u64 > max_bytes {
            return Err(StorageError::TooLarge { limit: max_bytes });
        }
        Ok(body)
    }

    fn local_path(&self, _key: &str) -> Option<PathBuf> {
        None
    }

    async fn check(&self) -> Result<(), StorageError> {
        self.client
            .head_bucket()
            .bucket(&self.bucket)
            .send()
            .await
            .map_err(|e| backend("HeadBucket", e))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn storage(prefix: Option<&str>, cdn: Option<&str>) -> S3Storage {
        let conf = aws_sdk_s3::Config::builder()
            .behavior_version(aws_sdk_s3::config::BehaviorVersion::latest())
            .build();
        S3Storage::new(Client::from_conf(conf), "b", prefix, cdn)
    }

    #[tokio::test]
    async fn keys_get_the_prefix_and_cdn_urls_use_it() {
        assert_eq!(
            storage(Some("/prod/"), None).object_key("media/v/video.mp4"),
            "prod/media/v/video.mp4"
        );
        assert_eq!(storage(Some(""), None).object_key("a"), "a");
        let s = storage(Some("prod"), Some("https://cdn.example.org/"));
        assert_eq!(
            s.public_url("media/v/poster.jpg").await.unwrap(),
            "https://cdn.example.org/prod/media/v/poster.jpg"
        );
        assert!(s.local_path("media/v/poster.jpg").is_none());
    }

    #[test]
    fn video_folders_are_recognised() {
        assert_eq!(video_folder("media/abc/video.mp4"), Some("media/abc"));
        assert_eq!(
            video_folder("media/abc/hls/720p/seg_00001.m4s"),
            Some("media/abc")
        );
        assert_eq!(video_folder("media/abc"), None);
        assert_eq!(video_folder("banners/c/x.png"), None);
    }

    #[tokio::test]
    async fn signed_cdn_urls_cover_one_video_folder() {
        let key = include_str!("testdata/cloudfront-test-key.pem");
        let signer = CdnSigner::new("KTEST", key, Duration::from_secs(120)).unwrap();
        let s = storage(Some("prod"), Some("https://cdn.example.org")).with_signer(Some(signer));
        let mp4 = s.public_url("media/v1/video.mp4").await.unwrap();
        assert!(
            mp4.starts_with("https://cdn.example.org/prod/media/v1/video.mp4?Policy="),
            "{mp4}"
        );
        assert!(mp4.ends_with("&Key-Pair-Id=KTEST"));
        let policy_of = |u: &str| {
            use base64::Engine;
            let p = u
                .split("Policy=")
                .nth(1)
                .unwrap()
                .split('&')
                .next()
                .unwrap();
            let p = p.replace('-', "+").replace('_', "=").replace('~', "/");
            String::from_utf8(base64::engine::general_purpose::STANDARD.decode(p).unwrap()).unwrap()
        };
        assert!(
            policy_of(&mp4).contains("\"Resource\":\"https://cdn.example.org/prod/media/v1/*\"")
        );
        let urls = s
            .media_urls(&[
                "media/v1/hls/720p/init.mp4".into(),
                "media/v1/hls/720p/seg_00001.m4s".into(),
            ])
            .await
            .unwrap();
        assert!(
            urls[0].starts_with("https://cdn.example.org/prod/media/v1/hls/720p/init.mp4?Policy=")
        );
        // One signature for the folder.
        assert_eq!(
            urls[0].split_once('?').unwrap().1,
            urls[1].split_once('?').unwrap().1
        );
        let banner = s.public_url("banners/c/b.png").await.unwrap();
        assert!(policy_of(&banner)
            .contains("\"Resource\":\"https://cdn.example.org/prod/banners/c/b.png\""));
        // Without a signer the CDN URL is plain.
        let plain = storage(None, Some("https://cdn.example.org"))
            .public_url("media/v1/video.mp4")
            .await
            .unwrap();
        assert_eq!(plain, "https://cdn.example.org/media/v1/video.mp4");
    }
}
