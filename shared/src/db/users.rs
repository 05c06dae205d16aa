use super::Db;
use crate::domain::{EmailAddress, UserId};
use crate::error::DbError;
use crate::time::now_ms;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub password_hash: String,
    pub created_at: i64,
}

impl Db {
    #[tracing::instrument(skip_all)]
    pub async fn create_user(
        &self,
        email: &EmailAddress,
        password_hash: &str,
    ) -> Result<User, DbError> {
        let user = User {
            id: UserId::new(),
            email: email.as_str().to_string(),
            password_hash: password_hash.to_string(),
            created_at: now_ms(),
        };
        sqlx::query("INSERT INTO users (id, email, password_hash, created_at) VALUES (?, ?, ?, ?)")
            .bind(user.id)
            .bind(&user.email)
            .bind(&user.password_hash)
            .bind(user.created_at)
            .execute(&self.pool)
            .await
            .map_err(|e| DbError::from_unique(e, "email"))?;
        Ok(user)
    }

    #[tracing::instrument(skip_all)]
    pub async fn user_by_email(&self, email: &EmailAddress) -> Result<Option<User>, DbError> {
        Ok(sqlx::query_as::<_, User>(
            "SELECT id, email, password_hash, created_at FROM users WHERE email = ?",
        )
        .bind(email.as_str())
        .fetch_optional(&self.pool)
        .await?)
    }

    #[tracing::instrument(skip_all)]
    pub async fn user_by_id(&self, id: &UserId) -> Result<Option<User>, DbError> {
        Ok(sqlx::query_as::<_, User>(
            "SELECT id, email, password_hash, created_at FROM users WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }
}
