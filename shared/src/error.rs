//! Errors shared by web and worker. The user sees one sentence; logs get the whole chain.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// A unique index said no: the caller turns it into a field error (no check-then-insert races).
    #[error("duplicate value for {0}")]
    Duplicate(&'static str),
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
}

impl DbError {
    /// Maps a unique violation on the named index to `Duplicate`, leaving other errors as they are.
    pub fn from_unique(e: sqlx::Error, what: &'static str) -> Self {
        if let sqlx::Error::Database(db) = &e {
            let code = db.code().map(|c| c.to_string()).unwrap_or_default();
            // SQLite: 2067 (UNIQUE) / 1555 (PRIMARY KEY); MySQL/MariaDB: 1062 / SQLSTATE 23000.
            if db.is_unique_violation()
                || code == "2067"
                || code == "1555"
                || code == "23000"
                || code == "1062"
            {
                return DbError::Duplicate(what);
            }
        }
        DbError::Sqlx(e)
    }
}
