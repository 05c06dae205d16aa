use super::emails::{insert_email, NewEmail};
use super::jobs::{insert_job, truncate};
use std::collections::HashMap;

use super::{Db, Flag};
use crate::domain::{ContestId, ReviewState, UserId, VideoId, VideoState};
use crate::error::DbError;
use crate::jobs::Job;
use crate::time::now_ms;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Video {
    pub id: VideoId,
    pub contest_id: ContestId,
    pub title: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub description: String,
    pub state: VideoState,
    #[sqlx(try_from = "Flag")]
    pub hidden: bool,
    pub progress: i64,
    pub error: Option<String>,
    pub original_key: String,
    pub mp4_key: Option<String>,
    pub poster_key: Option<String>,
    pub size_bytes: i64,
    pub container: Option<String>,
    pub duration_ms: Option<i64>,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub video_codec: Option<String>,
    pub audio_codec: Option<String>,
    pub attempts: i64,
    pub created_at: i64,
    pub converted_at: Option<i64>,
    /// Page language at upload time (`en`, `es`): the language of the participant's emails.
    pub lang: String,
    /// The validated probe stored at upload time (`shared::media::ValidProbe` as JSON).
    pub probe_json: Option<String>,
    /// HLS rungs made for this video, highest first (`"720,480,360"`); `None` = no HLS (yet).
    pub hls_rungs: Option<String>,
    /// Why the last conversion failed, for the organizer (sanitized of paths); `error` holds the
    /// public code.
    pub error_detail: Option<String>,
    /// When the participant accepted the contest's terms (`None`: the contest had none).
    pub terms_accepted_at: Option<i64>,
    pub review: ReviewState,
    /// The organizer's message with a rejection (also mailed to the participant).
    pub review_message: Option<String>,
    pub reviewed_at: Option<i64>,
    /// The language of the participant's subtitles (`media/{id}/captions.vtt`), if they sent any.
    pub captions_lang: Option<String>,
}

impl Video {
    /// The HLS rung names, highest first (empty when the video has no HLS).
    pub fn rungs(&self) -> Vec<u32> {
        self.hls_rungs
            .as_deref()
            .unwrap_or("")
            .split(',')
            .filter_map(|r| r.trim().parse().ok())
            .collect()
    }

    /// Converted, not hidden and approved: on the public pages.
    pub fn is_public(&self) -> bool {
        self.state == VideoState::Converted && !self.hidden && self.review == ReviewState::Approved
    }

    /// Converted and waiting for the organizer's decision.
    pub fn awaits_review(&self) -> bool {
        self.state == VideoState::Converted && self.review == ReviewState::Pending
    }
}

#[derive(Debug, Clone)]
pub struct NewVideo {
    pub id: VideoId,
    pub contest_id: ContestId,
    pub title: String,
    pub title_key: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub description: String,
    pub original_key: String,
    pub size_bytes: i64,
    pub probe: ProbeFacts,
    /// The validated probe as JSON, so the worker does not probe again.
    pub probe_json: Option<String>,
    /// `en` or `es`, from the upload page's language.
    pub lang: String,
}

/// What the upload records besides the file: the participant's acceptance of the terms, and
/// whether the entry waits for the organizer's review (the contest's setting at upload time).
#[derive(Debug, Clone, Default)]
pub struct EntryOptions {
    pub terms_accepted_at: Option<i64>,
    pub awaiting_review: bool,
    /// The participant's receipt mail, queued with the entry (`upload.receipt_email`).
    pub receipt: Option<NewEmail>,
    /// The language of the subtitles stored with the upload, if any.
    pub captions_lang: Option<String>,
}

/// What ffprobe said about a file.
#[derive(Debug, Clone, Default)]
pub struct ProbeFacts {
    pub container: Option<String>,
    pub duration_ms: Option<i64>,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub video_codec: Option<String>,
    pub audio_codec: Option<String>,
}

/// What a won state change writes in the same transaction.
enum FollowUp<'a> {
    Email(&'a NewEmail),
    Job(&'a Job),
}

/// Videos per state for one contest (the dashboard); `hidden` counts hidden videos of any state.
#[derive(Debug, Clone, Default)]
pub struct VideoCounts {
    pub queued: i64,
    pub processing: i64,
    pub converted: i64,
    pub failed: i64,
    pub hidden: i64,
}

const COLS: &str = "id, contest_id, title, first_name, last_name, email, description, state, hidden, progress, error, original_key, \
    mp4_key, poster_key, size_bytes, container, duration_ms, width, height, video_codec, audio_codec, attempts, created_at, converted_at, lang, \
    probe_json, hls_rungs, error_detail, terms_accepted_at, review, review_message, reviewed_at, captions_lang";

impl Db {
    /// Writes the video and its transcode job in one transaction: an accepted upload is never lost.
    pub async fn create_video_with_job(&self, v: &NewVideo) -> Result<(), DbError> {
        self.create_entry(v, &EntryOptions::default()).await
    }

    /// [`Db::create_video_with_job`] with what the contest's settings add to an entry.
    #[tracing::instrument(skip_all, fields(video_id = %v.id))]
    pub async fn create_entry(&self, v: &NewVideo, o: &EntryOptions) -> Result<(), DbError> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO videos (id, contest_id, title, title_key, first_name, last_name, email, description, state, hidden, progress, \
             original_key, size_bytes, container, duration_ms, width, height, video_codec, audio_codec, attempts, created_at, updated_at, lang, probe_json, \
             terms_accepted_at, review, captions_lang) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, 0, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(v.id)
        .bind(v.contest_id)
        .bind(&v.title)
        .bind(&v.title_key)
        .bind(&v.first_name)
        .bind(&v.last_name)
        .bind(&v.email)
        .bind(&v.description)
        .bind(&v.original_key)
        .bind(v.size_bytes)
        .bind(&v.probe.container)
        .bind(v.probe.duration_ms)
        .bind(v.probe.width)
        .bind(v.probe.height)
        .bind(&v.probe.video_codec)
        .bind(&v.probe.audio_codec)
        .bind(now)
        .bind(now)
        .bind(&v.lang)
        .bind(&v.probe_json)
        .bind(o.terms_accepted_at)
        .bind(if o.awaiting_review {
            ReviewState::Pending
        } else {
            ReviewState::Approved
        }
        .as_str())
        .bind(&o.captions_lang)
        .execute(&mut *tx)
        .await
        .map_err(|e| DbError::from_unique(e, "title"))?;
        insert_job(&mut tx, &Job::Transcode { video_id: v.id }).await?;
        if let Some(receipt) = &o.receipt {
            insert_email(&mut tx, receipt).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn title_taken(
        &self,
        contest_id: &ContestId,
        title_key: &str,
    ) -> Result<bool, DbError> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM videos WHERE contest_id = ? AND title_key = ?",
        )
        .bind(contest_id)
        .bind(title_key)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    #[tracing::instrument(skip_all, fields(video_id = %id))]
    pub async fn video_by_id(&self, id: &VideoId) -> Result<Option<Video>, DbError> {
        Ok(
            sqlx::query_as::<_, Video>(&format!("SELECT {COLS} FROM videos WHERE id = ?"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Converted, visible, approved videos of a contest, newest first (or most voted first, then
    /// newest).
    pub async fn public_videos(
        &self,
        contest_id: &ContestId,
        offset: i64,
        limit: i64,
        by_votes: bool,
    ) -> Result<(Vec<Video>, i64), DbError> {
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM videos WHERE contest_id = ? AND state = 'converted' AND hidden = 0 AND review = 'approved'")
            .bind(contest_id)
            .fetch_one(&self.pool)
            .await?;
        let order = if by_votes {
            "(SELECT COUNT(*) FROM votes WHERE votes.video_id = videos.id) DESC, converted_at DESC, id DESC"
        } else {
            "converted_at DESC, id DESC"
        };
        let rows = sqlx::query_as::<_, Video>(&format!(
            "SELECT {COLS} FROM videos WHERE contest_id = ? AND state = 'converted' AND hidden = 0 AND review = 'approved' \
             ORDER BY {order} LIMIT ? OFFSET ?"
        ))
        .bind(contest_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        Ok((rows, total))
    }

    /// Every entry of a contest for its organizer, newest first (at most 500).
    pub async fn contest_entries(&self, contest_id: &ContestId) -> Result<Vec<Video>, DbError> {
        Ok(sqlx::query_as::<_, Video>(&format!(
            "SELECT {COLS} FROM videos WHERE contest_id = ? ORDER BY created_at DESC, id DESC LIMIT 500"
        ))
        .bind(contest_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Every entry of a contest, oldest first (the CSV export).
    pub async fn all_entries(&self, contest_id: &ContestId) -> Result<Vec<Video>, DbError> {
        Ok(sqlx::query_as::<_, Video>(&format!(
            "SELECT {COLS} FROM videos WHERE contest_id = ? ORDER BY created_at, id"
        ))
        .bind(contest_id)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn video_ids_of_contest(
        &self,
        contest_id: &ContestId,
    ) -> Result<Vec<VideoId>, DbError> {
        Ok(
            sqlx::query_scalar("SELECT id FROM videos WHERE contest_id = ?")
                .bind(contest_id)
                .fetch_all(&self.pool)
                .await?,
        )
    }

    /// Videos per state of each contest of an organizer (the dashboard); contests without
    /// videos are absent.
    pub async fn video_counts(
        &self,
        owner_id: &UserId,
    ) -> Result<HashMap<ContestId, VideoCounts>, DbError> {
        let rows: Vec<(ContestId, VideoState, Flag, i64)> = sqlx::query_as(
            "SELECT v.contest_id, v.state, v.hidden, COUNT(*) FROM videos v JOIN contests c ON c.id = v.contest_id \
             WHERE c.owner_id = ? GROUP BY v.contest_id, v.state, v.hidden",
        )
        .bind(owner_id)
        .fetch_all(&self.pool)
        .await?;
        let mut out: HashMap<ContestId, VideoCounts> = HashMap::new();
        for (contest_id, state, hidden, n) in rows {
            let c = out.entry(contest_id).or_default();
            if bool::from(hidden) {
                c.hidden += n;
            }
            match state {
                VideoState::Queued => c.queued += n,
                VideoState::Processing => c.processing += n,
                VideoState::Converted => c.converted += n,
                VideoState::Failed => c.failed += n,
            }
        }
        Ok(out)
    }

    /// Takes the video for processing; `false` when it is already converted/failed/deleted
    /// (a duplicate delivery does nothing).
    pub async fn start_processing(&self, id: &VideoId, attempt: i64) -> Result<bool, DbError> {
        let n = sqlx::query(
            "UPDATE videos SET state = 'processing', attempts = ?, progress = 0, updated_at = ? WHERE id = ? AND state IN ('queued', 'processing')",
        )
        .bind(attempt)
        .bind(now_ms())
        .bind(id)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// Back to `queued` after a failed or released attempt (the job will run again).
    pub async fn requeue_processing(&self, id: &VideoId) -> Result<(), DbError> {
        sqlx::query("UPDATE videos SET state = 'queued', progress = 0, updated_at = ? WHERE id = ? AND state = 'processing'")
            .bind(now_ms())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Heartbeat of a running conversion: the row shows a live worker holds it (see
    /// [`Db::stale_videos`]).
    pub async fn touch_video(&self, id: &VideoId) -> Result<(), DbError> {
        sqlx::query("UPDATE videos SET updated_at = ? WHERE id = ? AND state = 'processing'")
            .bind(now_ms())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Videos waiting or converting whose row nobody touched since `before_ms`, with their
    /// attempt count (the stale sweep decides which of them can no longer finish).
    pub async fn stale_videos(&self, before_ms: i64) -> Result<Vec<(VideoId, i64)>, DbError> {
        Ok(sqlx::query_as(
            "SELECT id, attempts FROM videos WHERE state IN ('queued', 'processing') AND updated_at < ? ORDER BY updated_at LIMIT 100",
        )
        .bind(before_ms)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn set_progress(&self, id: &VideoId, progress: i64) -> Result<(), DbError> {
        sqlx::query(
            "UPDATE videos SET progress = ?, updated_at = ? WHERE id = ? AND state = 'processing'",
        )
        .bind(progress.clamp(0, 100))
        .bind(now_ms())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records the organizer-only detail of the latest conversion failure.
    pub async fn set_error_detail(&self, id: &VideoId, detail: &str) -> Result<(), DbError> {
        sqlx::query("UPDATE videos SET error_detail = ? WHERE id = ?")
            .bind(truncate(detail, 1000))
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Videos, of any contest, waiting or converting that were uploaded before `created_at`:
    /// the position in line of a waiting video.
    pub async fn videos_ahead(&self, created_at: i64, id: &VideoId) -> Result<i64, DbError> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM videos WHERE state IN ('queued', 'processing') \
             AND (created_at < ? OR (created_at = ? AND id < ?))",
        )
        .bind(created_at)
        .bind(created_at)
        .bind(id)
        .fetch_one(&self.pool)
        .await?)
    }

    /// Records the HLS rungs added to an already converted video (`worker backfill-hls`).
    pub async fn set_hls_rungs(&self, id: &VideoId, rungs: &str) -> Result<bool, DbError> {
        let n = sqlx::query(
            "UPDATE videos SET hls_rungs = ?, updated_at = ? WHERE id = ? AND state = 'converted'",
        )
        .bind(rungs)
        .bind(now_ms())
        .bind(id)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// Converted videos without HLS, oldest first, after `after_id` (ids are time-ordered UUIDv7),
    /// for `worker backfill-hls`.
    pub async fn converted_without_hls(
        &self,
        after_id: Option<&VideoId>,
        limit: i64,
    ) -> Result<Vec<Video>, DbError> {
        Ok(sqlx::query_as::<_, Video>(&format!(
            "SELECT {COLS} FROM videos WHERE state = 'converted' AND hls_rungs IS NULL AND id > ? ORDER BY id LIMIT ?"
        ))
        // Every id sorts after the empty string.
        .bind(after_id.map_or(String::new(), VideoId::to_string))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// How many converted videos have no HLS yet.
    pub async fn count_converted_without_hls(&self) -> Result<i64, DbError> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM videos WHERE state = 'converted' AND hls_rungs IS NULL",
        )
        .fetch_one(&self.pool)
        .await?)
    }

    /// Marks the video converted and queues its email in one transaction; `false` if another
    /// delivery already finished it.
    #[tracing::instrument(skip_all, fields(video_id = %id))]
    pub async fn mark_converted(
        &self,
        id: &VideoId,
        mp4_key: &str,
        poster_key: &str,
        hls_rungs: Option<&str>,
        email: &NewEmail,
    ) -> Result<bool, DbError> {
        let now = now_ms();
        let update = sqlx::query(
            "UPDATE videos SET state = 'converted', progress = 100, error = NULL, error_detail = NULL, mp4_key = ?, poster_key = ?, hls_rungs = ?, converted_at = ?, updated_at = ? \
             WHERE id = ? AND state = 'processing'",
        )
        .bind(mp4_key)
        .bind(poster_key)
        .bind(hls_rungs)
        .bind(now)
        .bind(now)
        .bind(id);
        self.transition(update, FollowUp::Email(email)).await
    }

    /// Marks the video failed with a reason and queues the participant's email, once.
    #[tracing::instrument(skip_all, fields(video_id = %id))]
    pub async fn mark_failed(
        &self,
        id: &VideoId,
        reason: &str,
        email: &NewEmail,
    ) -> Result<bool, DbError> {
        let update = sqlx::query("UPDATE videos SET state = 'failed', error = ?, updated_at = ? WHERE id = ? AND state IN ('queued', 'processing')")
            .bind(truncate(reason, 1000))
            .bind(now_ms())
            .bind(id);
        self.transition(update, FollowUp::Email(email)).await
    }

    /// Organizer's retry: a failed video goes back to the queue with a fresh job.
    pub async fn requeue_failed(&self, id: &VideoId) -> Result<bool, DbError> {
        let update = sqlx::query("UPDATE videos SET state = 'queued', error = NULL, progress = 0, attempts = 0, updated_at = ? WHERE id = ? AND state = 'failed'")
            .bind(now_ms())
            .bind(id);
        self.transition(update, FollowUp::Job(&Job::Transcode { video_id: *id }))
            .await
    }

    /// Runs a conditional state change and, only if it won (one row changed), writes what must
    /// follow it in the same transaction: a second delivery or a double click changes nothing.
    async fn transition<'q>(
        &self,
        update: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
        then: FollowUp<'_>,
    ) -> Result<bool, DbError> {
        let mut tx = self.pool.begin().await?;
        let won = update.execute(&mut *tx).await?.rows_affected() == 1;
        if won {
            match then {
                FollowUp::Email(e) => {
                    insert_email(&mut tx, e).await?;
                }
                FollowUp::Job(j) => {
                    insert_job(&mut tx, j).await?;
                }
            }
        }
        tx.commit().await?;
        Ok(won)
    }

    pub async fn set_hidden(&self, id: &VideoId, hidden: bool) -> Result<(), DbError> {
        sqlx::query("UPDATE videos SET hidden = ?, updated_at = ? WHERE id = ?")
            .bind(i64::from(hidden))
            .bind(now_ms())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn delete_video(&self, id: &VideoId) -> Result<(), DbError> {
        sqlx::query("DELETE FROM videos WHERE id = ?")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
