use super::Db;
use crate::domain::{ContestId, UserId};
use crate::error::DbError;
use crate::time::{now_ms, ContestZone};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Contest {
    pub id: ContestId,
    pub owner_id: UserId,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub prize: String,
    pub banner_key: Option<String>,
    pub starts_at: i64,
    pub ends_at: i64,
    pub created_at: i64,
    /// Entries one participant email may send (organizer setting).
    pub entries_per_email: i64,
    /// IANA name of the zone the organizer enters dates in and pages show them in.
    pub time_zone: String,
    /// 1: converted entries wait for the organizer's approval before they are public.
    pub review_required: i64,
    /// Terms participants must accept to enter (empty: none).
    pub terms: String,
    /// The jury's share of the final ranking in percent; the rest is the public vote.
    pub jury_weight: i64,
    /// When the organizer closed judging (judges then see each other's scores).
    pub judging_closed_at: Option<i64>,
    /// When the results were published (`None`: nothing of the ranking is public).
    pub results_published_at: Option<i64>,
    /// The public vote's window (both `None`: no public vote). See [`Voting`].
    pub voting_starts_at: Option<i64>,
    pub voting_ends_at: Option<i64>,
    pub votes_per_voter: i64,
    /// 1: counts show while voting runs; 0: only once it has ended.
    pub tallies_live: i64,
    /// 1: the organizer gets a digest mail of new entries (`crate::digest`).
    pub entry_digest: i64,
    /// The organizer's page language when they last saved the contest form (the digest's).
    pub digest_lang: String,
}

/// A contest's public vote, as the organizer set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Voting {
    pub starts_at: i64,
    pub ends_at: i64,
    pub votes_per_voter: i64,
    pub tallies_live: bool,
}

impl Voting {
    pub fn is_open_at(&self, now: i64) -> bool {
        self.starts_at <= now && now < self.ends_at
    }

    /// Counts are public live when the organizer chose so, else once voting has ended.
    pub fn tallies_public_at(&self, now: i64) -> bool {
        self.tallies_live || now >= self.ends_at
    }
}

impl Contest {
    pub fn is_open_at(&self, now: i64) -> bool {
        self.starts_at <= now && now < self.ends_at
    }

    /// The public vote, if this contest has one.
    pub fn voting(&self) -> Option<Voting> {
        match (self.voting_starts_at, self.voting_ends_at) {
            (Some(starts_at), Some(ends_at)) => Some(Voting {
                starts_at,
                ends_at,
                votes_per_voter: self.votes_per_voter,
                tallies_live: self.tallies_live != 0,
            }),
            _ => None,
        }
    }

    pub fn zone(&self) -> ContestZone {
        ContestZone::from_stored(&self.time_zone)
    }

    pub fn reviews_entries(&self) -> bool {
        self.review_required != 0
    }

    pub fn digests_entries(&self) -> bool {
        self.entry_digest != 0
    }

    pub fn settings(&self) -> ContestSettings {
        ContestSettings {
            time_zone: self.zone(),
            review_required: self.reviews_entries(),
            terms: self.terms.clone(),
            entry_digest: self.digests_entries(),
            digest_lang: self.digest_lang.clone(),
        }
    }
}

/// The organizer's choices of how the contest runs (create and edit), next to [`NewContest`].
#[derive(Debug, Clone, Default)]
pub struct ContestSettings {
    pub time_zone: ContestZone,
    pub review_required: bool,
    pub terms: String,
    /// Mail the organizer a digest of new entries every `digest.interval_secs`.
    pub entry_digest: bool,
    /// The language of that mail (a catalogue code; anything else is English).
    pub digest_lang: String,
}

/// Values of a contest as an organizer enters them (create and edit).
#[derive(Debug, Clone)]
pub struct NewContest {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub prize: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub entries_per_email: i64,
}

const COLS: &str =
    "id, owner_id, slug, name, description, prize, banner_key, starts_at, ends_at, created_at, \
    entries_per_email, time_zone, review_required, terms, jury_weight, judging_closed_at, \
    results_published_at, voting_starts_at, voting_ends_at, votes_per_voter, tallies_live, \
    entry_digest, digest_lang";

/// The contest columns with a table prefix (`c.`), for joins.
pub(crate) fn cols_with(prefix: &str) -> String {
    COLS.split(',')
        .map(|c| format!("{prefix}{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Db {
    /// A contest with the default settings (UTC, no review, no terms, no digest).
    pub async fn create_contest(
        &self,
        id: &ContestId,
        owner_id: &UserId,
        c: &NewContest,
        banner_key: Option<&str>,
    ) -> Result<(), DbError> {
        self.create_contest_with(id, owner_id, c, &ContestSettings::default(), banner_key)
            .await
    }

    #[tracing::instrument(skip_all, fields(slug = %c.slug))]
    pub async fn create_contest_with(
        &self,
        id: &ContestId,
        owner_id: &UserId,
        c: &NewContest,
        s: &ContestSettings,
        banner_key: Option<&str>,
    ) -> Result<(), DbError> {
        let now = now_ms();
        sqlx::query(
            "INSERT INTO contests (id, owner_id, slug, name, description, prize, banner_key, starts_at, ends_at, created_at, entries_per_email, \
             time_zone, review_required, terms, entry_digest, digest_lang, digest_watermark) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(owner_id)
        .bind(&c.slug)
        .bind(&c.name)
        .bind(&c.description)
        .bind(&c.prize)
        .bind(banner_key)
        .bind(c.starts_at)
        .bind(c.ends_at)
        .bind(now)
        .bind(c.entries_per_email)
        .bind(s.time_zone.name())
        .bind(i64::from(s.review_required))
        .bind(&s.terms)
        .bind(i64::from(s.entry_digest))
        .bind(crate::i18n::normalize(&s.digest_lang))
        // Entries count from the moment the digest is on.
        .bind(s.entry_digest.then_some(now))
        .execute(&self.pool)
        .await
        .map_err(|e| DbError::from_unique(e, "slug"))?;
        Ok(())
    }

    /// Saves the contest form. Turning the digest on starts its watermark at "now", so the
    /// entries that arrived while it was off are not mailed; both happen in one transaction.
    #[tracing::instrument(skip_all, fields(contest_id = %id))]
    pub async fn update_contest(
        &self,
        id: &ContestId,
        c: &NewContest,
        s: &ContestSettings,
        banner_key: Option<&str>,
    ) -> Result<(), DbError> {
        let mut tx = self.pool.begin().await?;
        if s.entry_digest {
            sqlx::query(
                "UPDATE contests SET digest_watermark = ? \
                 WHERE id = ? AND (entry_digest = 0 OR digest_watermark IS NULL)",
            )
            .bind(now_ms())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "UPDATE contests SET slug = ?, name = ?, description = ?, prize = ?, banner_key = ?, starts_at = ?, ends_at = ?, entries_per_email = ?, \
             time_zone = ?, review_required = ?, terms = ?, entry_digest = ?, digest_lang = ? WHERE id = ?",
        )
        .bind(&c.slug)
        .bind(&c.name)
        .bind(&c.description)
        .bind(&c.prize)
        .bind(banner_key)
        .bind(c.starts_at)
        .bind(c.ends_at)
        .bind(c.entries_per_email)
        .bind(s.time_zone.name())
        .bind(i64::from(s.review_required))
        .bind(&s.terms)
        .bind(i64::from(s.entry_digest))
        .bind(crate::i18n::normalize(&s.digest_lang))
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(|e| DbError::from_unique(e, "slug"))?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets (or, with `None`, turns off) the contest's public vote.
    #[tracing::instrument(skip_all, fields(contest_id = %id))]
    pub async fn set_voting(
        &self,
        id: &ContestId,
        voting: Option<Voting>,
        votes_per_voter: i64,
    ) -> Result<(), DbError> {
        sqlx::query(
            "UPDATE contests SET voting_starts_at = ?, voting_ends_at = ?, votes_per_voter = ?, tallies_live = ? WHERE id = ?",
        )
        .bind(voting.map(|v| v.starts_at))
        .bind(voting.map(|v| v.ends_at))
        .bind(votes_per_voter)
        .bind(i64::from(voting.is_some_and(|v| v.tallies_live)))
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(contest_id = %id))]
    pub async fn delete_contest(&self, id: &ContestId) -> Result<(), DbError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM videos WHERE contest_id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM contests WHERE id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip_all)]
    pub async fn contest_by_slug(&self, slug: &str) -> Result<Option<Contest>, DbError> {
        Ok(
            sqlx::query_as::<_, Contest>(&format!("SELECT {COLS} FROM contests WHERE slug = ?"))
                .bind(slug)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    #[tracing::instrument(skip_all)]
    pub async fn contest_by_id(&self, id: &ContestId) -> Result<Option<Contest>, DbError> {
        Ok(
            sqlx::query_as::<_, Contest>(&format!("SELECT {COLS} FROM contests WHERE id = ?"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// All contests, soonest-ending first (the home page splits them by date).
    #[tracing::instrument(skip_all)]
    pub async fn list_contests(&self) -> Result<Vec<Contest>, DbError> {
        Ok(sqlx::query_as::<_, Contest>(&format!(
            "SELECT {COLS} FROM contests ORDER BY ends_at, id LIMIT 500"
        ))
        .fetch_all(&self.pool)
        .await?)
    }

    #[tracing::instrument(skip_all)]
    pub async fn contests_of(&self, owner_id: &UserId) -> Result<Vec<Contest>, DbError> {
        Ok(sqlx::query_as::<_, Contest>(&format!(
            "SELECT {COLS} FROM contests WHERE owner_id = ? ORDER BY starts_at DESC, id"
        ))
        .bind(owner_id)
        .fetch_all(&self.pool)
        .await?)
    }
}
