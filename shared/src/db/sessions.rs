//! Server-side sessions: the cookie carries a random key, the state lives here. A row ends when
//! unused past its idle timeout (`expires_at`, pushed forward on use), at its absolute lifetime
//! (`created_at` + lifetime, checked on load) or when deleted (logout).
use super::Db;
use crate::error::DbError;
use crate::time::now_ms;

impl Db {
    /// The state of a live session (`None` when unknown, idle too long or too old).
    pub async fn session_load(
        &self,
        id: &str,
        absolute_lifetime_ms: i64,
    ) -> Result<Option<String>, DbError> {
        let now = now_ms();
        Ok(sqlx::query_scalar(
            "SELECT state FROM sessions WHERE id = ? AND expires_at > ? AND created_at > ?",
        )
        .bind(id)
        .bind(now)
        .bind(now - absolute_lifetime_ms)
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn session_insert(
        &self,
        id: &str,
        state: &str,
        user_id: Option<&str>,
        idle_ms: i64,
    ) -> Result<(), DbError> {
        let now = now_ms();
        sqlx::query(
            "INSERT INTO sessions (id, state, user_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(state)
        .bind(user_id)
        .bind(now)
        .bind(now + idle_ms)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Replaces the state; `false` when the session no longer exists (revoked meanwhile).
    pub async fn session_update(
        &self,
        id: &str,
        state: &str,
        user_id: Option<&str>,
        idle_ms: i64,
    ) -> Result<bool, DbError> {
        let now = now_ms();
        let n = sqlx::query(
            "UPDATE sessions SET state = ?, user_id = ?, expires_at = ? WHERE id = ? AND expires_at > ?",
        )
        .bind(state)
        .bind(user_id)
        .bind(now + idle_ms)
        .bind(id)
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// Pushes the idle deadline forward; written at most once a minute per session.
    pub async fn session_touch(&self, id: &str, idle_ms: i64) -> Result<(), DbError> {
        let now = now_ms();
        sqlx::query(
            "UPDATE sessions SET expires_at = ? WHERE id = ? AND expires_at > ? AND expires_at < ?",
        )
        .bind(now + idle_ms)
        .bind(id)
        .bind(now)
        .bind(now + idle_ms - 60_000)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn session_delete(&self, id: &str) -> Result<(), DbError> {
        sqlx::query("DELETE FROM sessions WHERE id = ?")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Deletes expired sessions; returns how many.
    pub async fn prune_sessions(&self, absolute_lifetime_ms: i64) -> Result<u64, DbError> {
        let now = now_ms();
        Ok(
            sqlx::query("DELETE FROM sessions WHERE expires_at <= ? OR created_at <= ?")
                .bind(now)
                .bind(now - absolute_lifetime_ms)
                .execute(&self.pool)
                .await?
                .rows_affected(),
        )
    }

    pub async fn session_count(&self) -> Result<i64, DbError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
            .fetch_one(&self.pool)
            .await?)
    }
}
