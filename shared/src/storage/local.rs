use std::path::{Path, PathBuf};

use bytes::Bytes;
use futures::stream::BoxStream;
use futures::StreamExt;
use tokio::io::AsyncWriteExt;

use super::{MediaSource, Storage, StorageError};

/// Objects as files under one folder; keys are relative paths checked to stay inside it.
pub struct LocalStorage {
    root: PathBuf,
    /// URL prefix the web app serves public objects under.
    url_prefix: String,
}

impl LocalStorage {
    pub fn new(root: PathBuf, url_prefix: &str) -> std::io::Result<Self> {
        std::fs::create_dir_all(&root)?;
        std::fs::create_dir_all(root.join(".partial"))?;
        Ok(Self {
            root,
            url_prefix: url_prefix.trim_end_matches('/').to_string(),
        })
    }

    fn path(&self, key: &str) -> Result<PathBuf, StorageError> {
        let ok = !key.is_empty()
            && !key.starts_with('/')
            && key
                .split('/')
                .all(|p| !p.is_empty() && p != "." && p != ".." && !p.starts_with('.'));
        if !ok {
            return Err(StorageError::NotFound(key.to_string()));
        }
        Ok(self.root.join(key))
    }

    async fn ensure_parent(path: &Path) -> Result<(), StorageError> {
        if let Some(parent) = path.parent() {
            tokio::fs::create_dir_all(parent).await?;
        }
        Ok(())
    }
}

fn modified_ms(meta: &std::fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// A partial file being written: removed when dropped unless disarmed (renamed into place).
struct PartialFile(Option<PathBuf>);

impl PartialFile {
    fn path(&self) -> &Path {
        self.0.as_deref().unwrap_or(Path::new(""))
    }

    fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for PartialFile {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            // A plain unlink: quick, and Drop cannot await.
            if let Err(e) = std::fs::remove_file(&p) {
                if e.kind() != std::io::ErrorKind::NotFound {
                    tracing::warn!(path = %p.display(), error = %e, "could not remove partial upload");
                }
            }
        }
    }
}

#[async_trait::async_trait]
impl Storage for LocalStorage {
    async fn put_stream(
        &self,
        key: &str,
        _content_type: &str,
        mut body: BoxStream<'_, Result<Bytes, StorageError>>,
        max_bytes: u64,
    ) -> Result<u64, StorageError> {
        let dest = self.path(key)?;
        // Write to a partial file and rename at the end: a half-written object is never visible.
        let guard = PartialFile(Some(
            self.root
                .join(".partial")
                .join(crate::domain::new_id().to_string()),
        ));
        let partial = guard.path().to_path_buf();
        let result: Result<u64, StorageError> = async {
            let mut file = tokio::fs::File::create(&partial).await?;
            let mut written: u64 = 0;
            while let Some(chunk) = body.next().await {
                let chunk = chunk?;
                written += chunk.len() as u64;
                if written > max_bytes {
                    return Err(StorageError::TooLarge { limit: max_bytes });
                }
                file.write_all(&chunk).await?;
            }
            file.flush().await?;
            file.sync_all().await?;
            Self::ensure_parent(&dest).await?;
            tokio::fs::rename(&partial, &dest).await?;
            Ok(written)
        }
        .await;
        if result.is_ok() {
            guard.disarm();
        }
        // Otherwise the guard removes the partial file; it also does when this future is dropped
        // half-way (the client's connection reset), which no `if` after an `.await` can cover.
        result
    }

    async fn put_file(
        &self,
        key: &str,
        _content_type: &str,
        path: &Path,
    ) -> Result<(), StorageError> {
        let dest = self.path(key)?;
        Self::ensure_parent(&dest).await?;
        if tokio::fs::rename(path, &dest).await.is_err() {
            // Different filesystem: copy to a partial file, then rename into place.
            let partial = self
                .root
                .join(".partial")
                .join(crate::domain::new_id().to_string());
            tokio::fs::copy(path, &partial).await?;
            tokio::fs::rename(&partial, &dest).await?;
        }
        Ok(())
    }

    async fn fetch_to_file(&self, key: &str, dest: &Path) -> Result<(), StorageError> {
        let src = self.path(key)?;
        if !tokio::fs::try_exists(&src).await? {
            return Err(StorageError::NotFound(key.to_string()));
        }
        // A hard link costs nothing for a 2 GiB original; fall back to a copy across filesystems.
        if tokio::fs::hard_link(&src, dest).await.is_err() {
            tokio::fs::copy(&src, dest).await?;
        }
        Ok(())
    }

    async fn media_source(&self, key: &str) -> Result<MediaSource, StorageError> {
        Ok(MediaSource::Path(self.path(key)?))
    }

    async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match tokio::fs::remove_file(self.path(key)?).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    async fn list(&self, prefix: &str) -> Result<Vec<String>, StorageError> {
        let dir = self.path(prefix.trim_end_matches('/'))?;
        let mut out = Vec::new();
        let mut stack = vec![dir];
        while let Some(d) = stack.pop() {
            let mut rd = match tokio::fs::read_dir(&d).await {
                Ok(rd) => rd,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e.into()),
            };
            while let Some(e) = rd.next_entry().await? {
                let p = e.path();
                if e.file_type().await?.is_dir() {
                    stack.push(p);
                } else if let Ok(rel) = p.strip_prefix(&self.root) {
                    out.push(rel.to_string_lossy().into_owned());
                }
            }
        }
        out.sort();
        Ok(out)
    }

    async fn delete_prefix(&self, prefix: &str) -> Result<(), StorageError> {
        let dir = self.path(prefix.trim_end_matches('/'))?;
        match tokio::fs::remove_dir_all(&dir).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    async fn public_url(&self, key: &str) -> Result<String, StorageError> {
        Ok(format!("{}/{}", self.url_prefix, key))
    }

    fn local_path(&self, key: &str) -> Option<PathBuf> {
        self.path(key).ok()
    }

    async fn list_modified(&self, prefix: &str) -> Result<Vec<(String, i64)>, StorageError> {
        let mut out = Vec::new();
        for key in self.list(prefix).await? {
            let meta = tokio::fs::metadata(self.path(&key)?).await?;
            out.push((key, modified_ms(&meta)));
        }
        Ok(out)
    }

    async fn sweep_partials(&self, before_ms: i64) -> Result<usize, StorageError> {
        let mut n = 0;
        let mut rd = tokio::fs::read_dir(self.root.join(".partial")).await?;
        while let Some(e) = rd.next_entry().await? {
            let meta = e.metadata().await?;
            if meta.is_file() && modified_ms(&meta) < before_ms {
                match tokio::fs::remove_file(e.path()).await {
                    Ok(()) => n += 1,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(e.into()),
                }
            }
        }
        Ok(n)
    }

    async fn read_small(&self, key: &str, max_bytes: u64) -> Result<Bytes, StorageError> {
        let path = self.path(key)?;
        let meta = match tokio::fs::metadata(&path).await {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(StorageError::NotFound(key.to_string()))
            }
            Err(e) => return Err(e.into()),
        };
        if meta.len() > max_bytes {
            return Err(StorageError::TooLarge { limit: max_bytes });
        }
        Ok(Bytes::from(tokio::fs::read(&path).await?))
    }

    async fn check(&self) -> Result<(), StorageError> {
        let probe = self.root.join(".partial").join(".healthz");
        tokio::fs::write(&probe, b"ok").await?;
        tokio::fs::remove_file(&probe).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(chunks: Vec<&'static [u8]>) -> BoxStream<'static, Result<Bytes, StorageError>> {
        futures::stream::iter(chunks.into_iter().map(|c| Ok(Bytes::from_static(c)))).boxed()
    }

    #[tokio::test]
    async fn stores_and_enforces_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let s = LocalStorage::new(dir.path().to_path_buf(), "/files").unwrap();
        let n = s
            .put_stream("a/b.bin", "x", stream(vec![b"hello", b" world"]), 100)
            .await
            .unwrap();
        assert_eq!(n, 11);
        assert_eq!(
            std::fs::read(dir.path().join("a/b.bin")).unwrap(),
            b"hello world"
        );
        let e = s
            .put_stream("a/c.bin", "x", stream(vec![b"hello", b" world"]), 8)
            .await
            .unwrap_err();
        assert!(matches!(e, StorageError::TooLarge { limit: 8 }));
        assert!(!dir.path().join("a/c.bin").exists());
        assert_eq!(
            std::fs::read_dir(dir.path().join(".partial"))
                .unwrap()
                .count(),
            0,
            "partial file removed"
        );
        assert_eq!(s.public_url("a/b.bin").await.unwrap(), "/files/a/b.bin");
        assert_eq!(s.list("a").await.unwrap(), vec!["a/b.bin".to_string()]);
        assert!(s.list("nothing").await.unwrap().is_empty());
        assert_eq!(
            &s.read_small("a/b.bin", 11).await.unwrap()[..],
            b"hello world"
        );
        assert!(matches!(
            s.read_small("a/b.bin", 10).await,
            Err(StorageError::TooLarge { limit: 10 })
        ));
        assert!(matches!(
            s.read_small("a/none", 10).await,
            Err(StorageError::NotFound(_))
        ));
        assert_eq!(
            s.media_urls(&["a/b.bin".into(), "a/c".into()])
                .await
                .unwrap(),
            ["/files/a/b.bin", "/files/a/c"]
        );
    }

    #[tokio::test]
    async fn refuses_keys_leaving_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let s = LocalStorage::new(dir.path().to_path_buf(), "/files").unwrap();
        for bad in ["../x", "/etc/passwd", "a/../../x", "", ".partial/x"] {
            assert!(
                s.put_stream(bad, "x", stream(vec![b"1"]), 10)
                    .await
                    .is_err(),
                "{bad}"
            );
        }
    }
}
