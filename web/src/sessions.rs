//! Server-side sessions: an actix-session [`SessionStore`] over the database (SQLite or MySQL,
//! table `sessions`). The cookie carries only a random key; the row holds the state. The DB keeps
//! the key's SHA-256, so reading the table does not hand out live sessions.
//!
//! Lifetimes: a session unused for `sessions.idle_timeout_secs` ends (each request pushes the
//! deadline, written at most once a minute); any session ends `sessions.absolute_lifetime_secs`
//! after it was created; logout deletes the row, so a copied cookie opens nothing afterwards.
//! Expired rows are deleted by the sweeper.
use std::collections::HashMap;

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};
use shared::db::Db;
use shared::limits::SessionSettings;

/// The session-state key that names the logged-in user (kept in its own column too, so every
/// session of a user can be ended at once).
pub const USER_KEY: &str = "uid";

#[derive(Clone)]
pub struct DbSessionStore {
    db: Db,
    idle_ms: i64,
    absolute_ms: i64,
}

impl DbSessionStore {
    pub fn new(db: Db, s: &SessionSettings) -> Self {
        let ms = |secs: u64| i64::try_from(secs.saturating_mul(1000)).unwrap_or(i64::MAX / 4);
        Self {
            db,
            idle_ms: ms(s.idle_timeout_secs).max(1000),
            absolute_ms: ms(s.absolute_lifetime_secs).max(1000),
        }
    }

    pub fn idle(&self) -> Duration {
        Duration::milliseconds(self.idle_ms)
    }
}

fn digest(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

fn new_key() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// actix-session stores each value JSON-encoded; the user id is a JSON string.
fn user_of(state: &HashMap<String, String>) -> Option<String> {
    state
        .get(USER_KEY)
        .and_then(|v| serde_json::from_str::<String>(v).ok())
}

impl SessionStore for DbSessionStore {
    async fn load(
        &self,
        session_key: &SessionKey,
    ) -> Result<Option<HashMap<String, String>>, LoadError> {
        let row = self
            .db
            .session_load(&digest(session_key.as_ref()), self.absolute_ms)
            .await
            .map_err(|e| LoadError::Other(e.into()))?;
        match row {
            None => Ok(None),
            Some(state) => serde_json::from_str(&state)
                .map(Some)
                .map_err(|e| LoadError::Deserialization(e.into())),
        }
    }

    async fn save(
        &self,
        session_state: HashMap<String, String>,
        _ttl: &Duration,
    ) -> Result<SessionKey, SaveError> {
        let json = serde_json::to_string(&session_state)
            .map_err(|e| SaveError::Serialization(e.into()))?;
        let key = new_key();
        self.db
            .session_insert(
                &digest(&key),
                &json,
                user_of(&session_state).as_deref(),
                self.idle_ms,
            )
            .await
            .map_err(|e| SaveError::Other(e.into()))?;
        key.try_into()
            .map_err(|e| SaveError::Other(anyhow::anyhow!("{e}")))
    }

    async fn update(
        &self,
        session_key: SessionKey,
        mut session_state: HashMap<String, String>,
        ttl: &Duration,
    ) -> Result<SessionKey, UpdateError> {
        let json = serde_json::to_string(&session_state)
            .map_err(|e| UpdateError::Serialization(e.into()))?;
        let updated = self
            .db
            .session_update(
                &digest(session_key.as_ref()),
                &json,
                user_of(&session_state).as_deref(),
                self.idle_ms,
            )
            .await
            .map_err(|e| UpdateError::Other(e.into()))?;
        if updated {
            return Ok(session_key);
        }
        // Ended meanwhile (logout in another tab, expiry): never bring a login back to life.
        session_state.remove(USER_KEY);
        self.save(session_state, ttl).await.map_err(|e| match e {
            SaveError::Serialization(e) => UpdateError::Serialization(e),
            SaveError::Other(e) => UpdateError::Other(e),
        })
    }

    async fn update_ttl(&self, session_key: &SessionKey, _ttl: &Duration) -> anyhow::Result<()> {
        self.db
            .session_touch(&digest(session_key.as_ref()), self.idle_ms)
            .await?;
        Ok(())
    }

    async fn delete(&self, session_key: &SessionKey) -> anyhow::Result<()> {
        self.db
            .session_delete(&digest(session_key.as_ref()))
            .await?;
        Ok(())
    }
}
