//! Session helpers (the store is in `sessions.rs`), CSRF synchronizer tokens, password hashing
//! with a concurrency cap, and the cookie key file.
use actix_session::Session;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use std::sync::Arc;
use std::time::Duration;
use subtle::ConstantTimeEq;
use tokio::sync::Semaphore;

use shared::domain::UserId;

use crate::error::AppError;

const CSRF_KEY: &str = "csrf";
use crate::sessions::USER_KEY;
pub const MIN_PASSWORD: usize = 10;
pub const MAX_PASSWORD: usize = 256;

/// 32 random bytes as hex: CSRF tokens, and the one-time links mailed to voters and judges.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// A mailed link's token as stored: its SHA-256 in hex (reading the table hands out no live
/// link).
pub fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The session's CSRF token, created on first use. Every POST form carries it as `csrf_token`.
pub fn csrf_token(session: &Session) -> Result<String, AppError> {
    if let Some(t) = session.get::<String>(CSRF_KEY)? {
        return Ok(t);
    }
    let t = random_token();
    session.insert(CSRF_KEY, &t)?;
    Ok(t)
}

/// Checks a submitted token against the session's, in constant time.
pub fn check_csrf(session: &Session, submitted: Option<&str>) -> Result<(), AppError> {
    let expected = session.get::<String>(CSRF_KEY)?;
    let ok = match (expected, submitted) {
        (Some(e), Some(s)) => bool::from(e.as_bytes().ct_eq(s.as_bytes())),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(AppError::forbidden_key("error.msg_csrf"))
    }
}

/// The logged-in user's id; a session holding something else is logged out.
pub fn user_id(session: &Session) -> Result<Option<UserId>, AppError> {
    Ok(session
        .get::<String>(USER_KEY)?
        .and_then(|id| id.parse().ok()))
}

/// Logs the user in: a fresh session (no fixation) holding the user id and a new CSRF token.
pub fn log_in(session: &Session, user_id: &UserId) -> Result<(), AppError> {
    session.renew();
    session.insert(USER_KEY, user_id.to_string())?;
    session.remove(CSRF_KEY);
    csrf_token(session)?;
    Ok(())
}

pub fn log_out(session: &Session) {
    session.purge();
}

/// Caps concurrent argon2 work: a login flood queues here instead of taking every blocking
/// thread; a caller that cannot get a turn within `limits.password_hash_wait_ms` gets 503 with
/// Retry-After. The turn is held by the computation itself, not by the request: a client that
/// gives up while its hash runs does not free a turn early.
#[derive(Clone)]
pub struct PasswordHasherPool {
    permits: Arc<Semaphore>,
    wait: Duration,
    gauges: Arc<HashGauges>,
}

/// The PHC string an unknown email is verified against (same algorithm and parameters as real
/// hashes, `Argon2::default()`), so an unknown email costs exactly one verification like a
/// known one. Its salt and output are random bytes, so no password matches it.
pub const DUMMY_PHC: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$h4ulEuK5T0dTRDCMov0w7Q$0srGx+lKDyna2SM2Iqx0GM3pfKkjkJhRBGALZaFkFeI";

/// Counts one running computation in the gauges while alive (also when argon2 panics). The
/// count and both gauges change under one lock, so the peak is exact.
struct Running(Arc<HashGauges>);

struct HashGauges {
    running: std::sync::Mutex<i64>,
    metrics: Arc<shared::metrics::Metrics>,
}

impl Running {
    fn start(g: Arc<HashGauges>) -> Self {
        let mut n = g.running.lock().unwrap_or_else(|e| e.into_inner());
        *n += 1;
        g.metrics.password_hashes_running.set(*n);
        if *n > g.metrics.password_hashes_peak.get() {
            g.metrics.password_hashes_peak.set(*n);
        }
        drop(n);
        Self(g)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let mut n = self.0.running.lock().unwrap_or_else(|e| e.into_inner());
        *n -= 1;
        self.0.metrics.password_hashes_running.set(*n);
    }
}

impl PasswordHasherPool {
    pub fn new(concurrency: usize, wait: Duration, metrics: Arc<shared::metrics::Metrics>) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            wait,
            gauges: Arc::new(HashGauges {
                running: std::sync::Mutex::new(0),
                metrics,
            }),
        }
    }

    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let Ok(permit) =
            tokio::time::timeout(self.wait, self.permits.clone().acquire_owned()).await
        else {
            self.gauges.metrics.password_hash_busy.inc();
            let secs = self.wait.as_millis().div_ceil(1000);
            return Err(AppError::unavailable(
                u64::try_from(secs).unwrap_or(u64::MAX),
                "limit.busy_login",
            ));
        };
        let permit = permit.map_err(AppError::internal)?;
        let gauges = self.gauges.clone();
        tokio::task::spawn_blocking(move || {
            let running = Running::start(gauges);
            let out = f();
            drop(running);
            drop(permit);
            out
        })
        .await
        .map_err(AppError::internal)
    }

    pub async fn hash(&self, password: String) -> Result<String, AppError> {
        self.run(move || {
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
        })
        .await?
        .map_err(AppError::internal)
    }

    /// Verifies in a blocking thread (argon2id is deliberately slow). An unknown user (`None`)
    /// is verified against [`DUMMY_PHC`]: the same work, and always `false`.
    pub async fn verify(&self, password: String, hash: Option<String>) -> Result<bool, AppError> {
        self.run(move || {
            let known = hash.is_some();
            let phc = hash.unwrap_or_else(|| DUMMY_PHC.to_string());
            let ok = PasswordHash::new(&phc).is_ok_and(|p| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &p)
                    .is_ok()
            });
            ok && known
        })
        .await
    }
}

/// The password rules; the refusal is in the current request's language.
pub fn check_password_rules(password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < MIN_PASSWORD {
        return Err(crate::i18n::Lang::current().tf("pw.too_short", "min", MIN_PASSWORD));
    }
    if n > MAX_PASSWORD {
        return Err(crate::i18n::Lang::current().tf("pw.too_long", "max", MAX_PASSWORD));
    }
    Ok(())
}

/// Loads or creates the cookie key (64 random bytes) in the data folder, so sessions survive restarts.
/// The file is never followed through a symbolic link, neither to read a key (whoever can read
/// the link's target could forge cookies) nor to write one.
pub fn session_key(settings: &shared::Settings) -> anyhow::Result<actix_web::cookie::Key> {
    use secrecy::ExposeSecret;
    if let Some(k) = &settings.session_key {
        let bytes = k.expose_secret().as_bytes();
        anyhow::ensure!(
            bytes.len() >= 64,
            "session_key must be at least 64 bytes (APP_SESSION_KEY)"
        );
        return Ok(actix_web::cookie::Key::from(bytes));
    }
    let path = settings.data_dir.join("session.key");
    let read = |path: &std::path::Path| -> anyhow::Result<Option<actix_web::cookie::Key>> {
        let bytes = read_private_file(path)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
        match bytes {
            None => Ok(None),
            Some(b) if b.len() >= 64 => Ok(Some(actix_web::cookie::Key::from(&b))),
            Some(b) => anyhow::bail!(
                "{} holds {} bytes, a key needs 64; delete it and a new key is made at start (everyone is logged out)",
                path.display(),
                b.len()
            ),
        }
    };
    if let Some(key) = read(&path)? {
        return Ok(key);
    }
    let mut bytes = [0u8; 64];
    OsRng.fill_bytes(&mut bytes);
    write_private_file(&path, &bytes)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    // Another process may have won the race: use whatever is on disk now.
    read(&path)?.ok_or_else(|| anyhow::anyhow!("{} vanished after it was written", path.display()))
}

/// Reads a private file without following a symbolic link at `path`: `None` if there is
/// nothing there; an error for a link or anything but a regular file. A file others can read
/// (written by hand, or restored from a backup) is made owner-only first.
fn read_private_file(path: &std::path::Path) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let at_path = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    if !at_path.file_type().is_file() {
        return Err(std::io::Error::other(
            "not a regular file (a symbolic link?); remove it and a new key is made at start",
        ));
    }
    let mut file = std::fs::File::open(path)?;
    let opened = file.metadata()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        // Swapped for a link between the check and the open: refuse what was opened.
        if (opened.dev(), opened.ino()) != (at_path.dev(), at_path.ino()) {
            return Err(std::io::Error::other(
                "replaced while being opened; remove it and a new key is made at start",
            ));
        }
        if opened.permissions().mode() & 0o077 != 0 {
            tracing::warn!(path = %path.display(), "the key file was readable by others; made it owner-only");
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
    }
    let mut bytes = Vec::with_capacity(64);
    file.read_to_end(&mut bytes)?;
    Ok(Some(bytes))
}

/// Writes `bytes` to `path` atomically and readable by the owner only: a temporary file created
/// with mode 0600 in the same folder, synced, then linked into place (never a moment where the
/// key exists with wider permissions or half-written). An existing file is kept.
fn write_private_file(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(std::path::Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".session.key.");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o600));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    match tmp.persist_noclobber(path) {
        Ok(_) => Ok(()),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e.error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_wrong_passwords_fail() {
        let pool = PasswordHasherPool::new(
            2,
            Duration::from_secs(10),
            Arc::new(shared::metrics::Metrics::new()),
        );
        let h = pool.hash("correct horse battery".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(pool
            .verify("correct horse battery".into(), Some(h.clone()))
            .await
            .unwrap());
        assert!(!pool.verify("wrong".into(), Some(h)).await.unwrap());
        assert!(!pool.verify("anything".into(), None).await.unwrap());
    }

    /// The dummy is a fixed PHC string with the parameters real hashes get, so verifying it costs
    /// what verifying a real hash costs (and nothing is hashed for an unknown email).
    #[test]
    fn the_dummy_hash_is_a_constant_with_the_real_parameters() {
        let dummy = PasswordHash::new(DUMMY_PHC).expect("valid PHC string");
        let real = Argon2::default()
            .hash_password(b"x", &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string();
        let real = PasswordHash::new(&real).unwrap();
        assert_eq!(dummy.algorithm, real.algorithm);
        assert_eq!(dummy.version, real.version);
        assert_eq!(dummy.params, real.params);
        assert_eq!(dummy.hash.map(|h| h.len()), real.hash.map(|h| h.len()));
    }

    #[test]
    fn session_key_file_is_private_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("session.key");
        write_private_file(&path, &[7u8; 64]).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // A second writer does not replace it.
        write_private_file(&path, &[9u8; 64]).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), vec![7u8; 64]);
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file left"
        );
    }

    fn settings_in(dir: &std::path::Path) -> shared::Settings {
        let dir = dir.to_string_lossy().to_string();
        shared::Settings::load_with(move |b| b.set_override("data_dir", dir).unwrap()).unwrap()
    }

    /// A link planted at the key path (by whoever can write the data folder before the first
    /// start) must neither receive the new key (`fs::write` follows it) nor supply one (a key
    /// read from a file the planter can read lets them forge every cookie).
    #[cfg(unix)]
    #[test]
    fn a_link_at_the_key_path_is_neither_written_through_nor_read() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir_all(&data).unwrap();
        std::fs::create_dir_all(&elsewhere).unwrap();
        let key_path = data.join("session.key");

        // A dangling link: the key would be created at its target.
        let target = elsewhere.join("stolen.key");
        std::os::unix::fs::symlink(&target, &key_path).unwrap();
        let e = session_key(&settings_in(&data)).err().unwrap().to_string();
        assert!(
            e.contains("session.key") && e.contains("symbolic link"),
            "{e}"
        );
        assert!(!target.exists(), "the key was written through the link");

        // A link to a file the attacker knows: its bytes must not become the key.
        std::fs::remove_file(&key_path).unwrap();
        let known = elsewhere.join("known");
        std::fs::write(&known, [42u8; 64]).unwrap();
        std::os::unix::fs::symlink(&known, &key_path).unwrap();
        let r = session_key(&settings_in(&data));
        assert!(r.is_err(), "a key was read through the link");
        assert_eq!(std::fs::read(&known).unwrap(), vec![42u8; 64]);
        // Nothing but the planted link in the data folder (no temp file left).
        assert_eq!(std::fs::read_dir(&data).unwrap().count(), 1);
    }

    /// A key file made by hand may be short (a `Key` of fewer than 64 bytes panics) or readable
    /// by others: the first is named with the fix, the second is made owner-only and used.
    #[cfg(unix)]
    #[test]
    fn a_short_key_file_is_named_and_a_readable_one_made_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("session.key");
        std::fs::write(&path, b"too short").unwrap();
        let e = session_key(&settings_in(dir.path()))
            .err()
            .unwrap()
            .to_string();
        assert!(
            e.contains("holds 9 bytes") && e.contains("delete it"),
            "{e}"
        );

        std::fs::write(&path, [5u8; 64]).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let key = session_key(&settings_in(dir.path())).unwrap();
        assert!(
            key == actix_web::cookie::Key::from(&[5u8; 64]),
            "the file's key is used"
        );
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }

    #[test]
    fn password_rules() {
        assert!(check_password_rules("short").is_err());
        assert!(check_password_rules("long enough pw").is_ok());
    }
}
