//! A job's temp folder (`data/tmp/<prefix>XXXX`): created and removed off the async threads, so
//! deleting the frames, segments and downloaded original of a finished job never stalls the
//! runtime that serves pages (the web process embeds the worker).
use std::path::{Path, PathBuf};

use tempfile::TempDir;

/// Removed when dropped, on a blocking thread. If the runtime is shutting down and cannot take
/// the removal any more, the folder stays behind for the sweeper (`sweeper::remove_old_dirs`).
pub struct ScratchDir(Option<TempDir>);

impl ScratchDir {
    /// A fresh folder under `root` (created if missing) whose name starts with `prefix`.
    pub async fn create(root: &Path, prefix: &'static str) -> std::io::Result<Self> {
        let root = root.to_path_buf();
        let dir = tokio::task::spawn_blocking(move || {
            std::fs::create_dir_all(&root)?;
            tempfile::Builder::new().prefix(prefix).tempdir_in(&root)
        })
        .await
        .map_err(std::io::Error::other)??;
        Ok(Self(Some(dir)))
    }

    pub fn path(&self) -> &Path {
        self.0.as_ref().map_or(Path::new(""), TempDir::path)
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let Some(dir) = self.0.take() else { return };
        let path: PathBuf = dir.path().to_path_buf();
        let remove = move || {
            if let Err(e) = dir.close() {
                tracing::warn!(path = %path.display(), error = %e, "could not remove a job folder");
            }
        };
        match tokio::runtime::Handle::try_current() {
            Ok(rt) => {
                rt.spawn_blocking(remove);
            }
            // Outside a runtime (a plain thread) blocking is fine.
            Err(_) => remove(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_folder_goes_away_after_drop() {
        let root = tempfile::tempdir().unwrap();
        let dir = ScratchDir::create(&root.path().join("tmp"), "job-")
            .await
            .unwrap();
        let path = dir.path().to_path_buf();
        std::fs::write(path.join("frame.bin"), vec![0u8; 1024]).unwrap();
        assert!(path
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("job-"));
        drop(dir);
        // Removed by a blocking task: wait for it (bounded), not for a fixed time.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while path.exists() {
            assert!(std::time::Instant::now() < deadline, "still there");
            tokio::task::yield_now().await;
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }
}
