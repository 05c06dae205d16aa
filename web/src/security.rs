//! Sessions (signed, encrypted cookies), CSRF synchronizer tokens and password hashing.
use actix_session::Session;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use crate::error::AppError;

const CSRF_KEY: &str = "csrf";
const USER_KEY: &str = "uid";
pub const MIN_PASSWORD: usize = 10;
pub const MAX_PASSWORD: usize = 256;

/// The session's CSRF token, created on first use. Every POST form carries it as `csrf_token`.
pub fn csrf_token(session: &Session) -> Result<String, AppError> {
    if let Some(t) = session.get::<String>(CSRF_KEY)? {
        return Ok(t);
    }
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let t = hex::encode(bytes);
    session.insert(CSRF_KEY, &t)?;
    Ok(t)
}

/// Checks a submitted token against the session's, in constant time.
pub fn check_csrf(session: &Session, submitted: Option<&str>) -> Result<(), AppError> {
    let expected = session.get::<String>(CSRF_KEY)?;
    let ok = match (expected, submitted) {
        (Some(e), Some(s)) => {
            e.len() == s.len()
                && e.bytes()
                    .zip(s.bytes())
                    .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                    == 0
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(AppError::keyed(
            actix_web::http::StatusCode::FORBIDDEN,
            "error.msg_csrf",
        ))
    }
}

pub fn user_id(session: &Session) -> Result<Option<String>, AppError> {
    Ok(session.get::<String>(USER_KEY)?)
}

/// Logs the user in: a fresh session (no fixation) holding the user id and a new CSRF token.
pub fn log_in(session: &Session, user_id: &str) -> Result<(), AppError> {
    session.renew();
    session.insert(USER_KEY, user_id)?;
    session.remove(CSRF_KEY);
    csrf_token(session)?;
    Ok(())
}

pub fn log_out(session: &Session) {
    session.purge();
}

pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::internal)
}

/// Verifies in a blocking thread (argon2id is deliberately slow). Always spends the hashing time,
/// even for unknown users, so timing does not reveal which emails exist.
pub async fn verify_password(password: String, hash: Option<String>) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let dummy;
        let hash = match &hash {
            Some(h) => h.as_str(),
            None => {
                dummy = Argon2::default()
                    .hash_password(b"dummy-password", &SaltString::generate(&mut OsRng))
                    .map(|h| h.to_string())
                    .unwrap_or_default();
                dummy.as_str()
            }
        };
        let parsed = PasswordHash::new(hash).ok();
        parsed.is_some_and(|p| {
            Argon2::default()
                .verify_password(password.as_bytes(), &p)
                .is_ok()
        }) && !hash.is_empty()
    })
    .await
    .map_err(AppError::internal)
}

/// The password rules; the refusal is in the current request's language.
pub fn check_password_rules(password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < MIN_PASSWORD {
        return Err(crate::i18n::Lang::current().tf("pw.too_short", MIN_PASSWORD));
    }
    if n > MAX_PASSWORD {
        return Err(crate::i18n::Lang::current().tf("pw.too_long", MAX_PASSWORD));
    }
    Ok(())
}

/// Loads or creates the cookie key (64 random bytes) in the data folder, so sessions survive restarts.
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
    if let Ok(bytes) = std::fs::read(&path) {
        if bytes.len() >= 64 {
            return Ok(actix_web::cookie::Key::from(&bytes));
        }
    }
    let mut bytes = [0u8; 64];
    OsRng.fill_bytes(&mut bytes);
    std::fs::write(&path, bytes)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600));
    }
    Ok(actix_web::cookie::Key::from(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_wrong_passwords_fail() {
        let h = hash_password("correct horse battery".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(
            verify_password("correct horse battery".into(), Some(h.clone()))
                .await
                .unwrap()
        );
        assert!(!verify_password("wrong".into(), Some(h)).await.unwrap());
        assert!(!verify_password("anything".into(), None).await.unwrap());
    }

    #[test]
    fn password_rules() {
        assert!(check_password_rules("short").is_err());
        assert!(check_password_rules("long enough pw").is_ok());
    }
}
