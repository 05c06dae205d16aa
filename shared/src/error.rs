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
    /// Only a unique/primary-key violation counts: MySQL's SQLSTATE 23000 is shared by foreign-key
    /// and NOT NULL violations, so the error *number* decides (1062 and its siblings; SQLite's
    /// extended codes 2067/1555), which is what `is_unique_violation` reads on both drivers.
    pub fn from_unique(e: sqlx::Error, what: &'static str) -> Self {
        if let sqlx::Error::Database(db) = &e {
            let mysql_duplicate = db
                .try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>()
                .is_some_and(|m| m.number() == 1062);
            if db.is_unique_violation() || mysql_duplicate {
                return DbError::Duplicate(what);
            }
        }
        DbError::Sqlx(e)
    }
}
