//! DB access over sqlx's Any driver: one portable schema and query set for SQLite and MySQL/MariaDB;
//! the few dialect differences (claiming work with row locks) branch on [`Dialect`].
mod contests;
mod digest;
mod emails;
mod jobs;
mod jury;
mod rate;
mod results;
mod review;
mod sessions;
mod suppression;
mod sweep;
mod users;
mod videos;
mod votes;

use std::str::FromStr;
use std::time::Duration;

pub use contests::{Contest, ContestSettings, NewContest, Voting};
pub use digest::{DigestDue, DigestEntry};
pub use emails::{Email, NewEmail, BODY_HTML_MAX, BODY_TEXT_MAX};
pub use jobs::{ClaimedJob, JobEnd, JobLease, JobRow};
pub use jury::{Criterion, Invited, Judge, NewCriterion, MAX_CRITERIA};
pub use results::Winner;
pub use review::ReviewItem;
pub use suppression::{SuppressionReason, UndeliveredEmail};
pub use users::User;
pub use videos::{EntryOptions, NewVideo, ProbeFacts, Video, VideoCounts};
pub use votes::{VoteOutcome, VoteRecord, Voter};

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions};

use crate::error::DbError;

/// A 0/1 `INT` column read as a `bool` (the portable schema has no `BOOLEAN`), for
/// `#[sqlx(try_from = "Flag")]` on a row's `bool` field.
#[derive(Debug, Clone, Copy)]
pub struct Flag(bool);

impl From<Flag> for bool {
    fn from(f: Flag) -> bool {
        f.0
    }
}

impl sqlx::Type<sqlx::Any> for Flag {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <i64 as sqlx::Type<sqlx::Any>>::type_info()
    }
    fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
        <i64 as sqlx::Type<sqlx::Any>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, sqlx::Any> for Flag {
    fn decode(
        value: <sqlx::Any as sqlx::Database>::ValueRef<'r>,
    ) -> Result<Self, sqlx::error::BoxDynError> {
        Ok(Flag(
            <i64 as sqlx::Decode<'r, sqlx::Any>>::decode(value)? != 0,
        ))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    MySql,
}

#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    dialect: Dialect,
}

impl Db {
    /// Connects, and for SQLite creates the file and enables WAL so web and worker can share it.
    pub async fn connect(
        url: &str,
        max_connections: u32,
        acquire_timeout: Duration,
    ) -> Result<Self, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let dialect = if url.starts_with("sqlite:") {
            Dialect::Sqlite
        } else {
            Dialect::MySql
        };
        let mut opts = AnyConnectOptions::from_str(url)?;
        opts = opts.disable_statement_logging();
        let pool_opts = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(acquire_timeout);
        let pool = match dialect {
            Dialect::Sqlite => {
                pool_opts
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            sqlx::query("PRAGMA busy_timeout = 10000")
                                .execute(&mut *conn)
                                .await?;
                            sqlx::query("PRAGMA foreign_keys = ON")
                                .execute(&mut *conn)
                                .await?;
                            sqlx::query("PRAGMA synchronous = NORMAL")
                                .execute(&mut *conn)
                                .await?;
                            Ok(())
                        })
                    })
                    .connect_with(opts)
                    .await?
            }
            Dialect::MySql => pool_opts.connect_with(opts).await?,
        };
        if dialect == Dialect::Sqlite {
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await?;
        }
        Ok(Self { pool, dialect })
    }

    /// Applies this release's migrations that are not applied yet. Migrations applied by a
    /// NEWER release (which this binary does not know) are tolerated, so during a rolling update
    /// the previous release keeps running against the expanded schema (expand/contract: a
    /// release only adds; removals wait for the release after the one that stopped using them).
    /// A known migration whose file changed after it was applied still stops the start.
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        let mut migrator = sqlx::migrate!("../migrations");
        migrator.set_ignore_missing(true);
        match self.dialect {
            Dialect::Sqlite => migrator.run(&self.pool).await,
            Dialect::MySql => {
                // Web and worker start together on a fresh database. sqlx's own lock asks
                // GET_LOCK(name, -1), which MySQL reads as "wait forever" but MariaDB answers
                // with NULL at once, so both processes migrated at the same time and one failed
                // ("migration ... is partially applied", seen in `./dev aws --smoke`). A lock
                // with a positive timeout, per database, held on the connection that migrates
                // (MySQL lock names are at most 64 characters: 20 + 40).
                let mut conn = self.pool.acquire().await?;
                let got: Option<i64> = sqlx::query_scalar(
                    "SELECT GET_LOCK(CONCAT('clipcontest_migrate_', LEFT(DATABASE(), 40)), 300)",
                )
                .fetch_one(&mut *conn)
                .await?;
                if got != Some(1) {
                    return Err(sqlx::migrate::MigrateError::Execute(sqlx::Error::Protocol(
                        "another process held the migration lock for 300 s".into(),
                    )));
                }
                let result = migrator.run(&mut *conn).await;
                let _ = sqlx::query(
                    "SELECT RELEASE_LOCK(CONCAT('clipcontest_migrate_', LEFT(DATABASE(), 40)))",
                )
                .execute(&mut *conn)
                .await;
                result
            }
        }
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub async fn ping(&self) -> Result<(), DbError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, DbError> {
        Ok(self.pool.begin().await?)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A release older than the schema (a rolling update in progress) still starts; a changed
    /// migration file does not.
    #[tokio::test]
    async fn migrations_of_a_newer_release_are_tolerated() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite:{}?mode=rwc", dir.path().join("t.db").display());
        let db = Db::connect(&url, 2, Duration::from_secs(5)).await.unwrap();
        db.migrate().await.unwrap();
        // What a newer release's migrator leaves behind.
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time) \
             VALUES (29991231000001, 'from the future', '2999-12-31 00:00:00', 1, X'00', 0)",
        )
        .execute(db.pool())
        .await
        .unwrap();
        db.migrate().await.unwrap();
        // A migration of ours whose checksum differs is still an error.
        sqlx::query("UPDATE _sqlx_migrations SET checksum = X'01' WHERE version = 20261125000001")
            .execute(db.pool())
            .await
            .unwrap();
        let e = db.migrate().await.unwrap_err();
        assert!(
            matches!(
                e,
                sqlx::migrate::MigrateError::VersionMismatch(20261125000001)
            ),
            "{e}"
        );
    }
}
