use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use shared::db::{Contest, Video};
use shared::domain::{ReviewState, VideoId, VideoState};
use shared::storage::keys;
use shared::time::now_ms;

use super::{layout, owned_contest, see_other, AppState, CsrfForm, State};
use crate::error::{html, AppError, AppResult};
use crate::security;
use crate::views::{
    CaptionTrack, ContestPage, Form, OrganizerVideo, PlayingVideo, VideoCard, VideoPage,
};

pub const PER_PAGE: i64 = 10;

#[derive(Deserialize)]
pub struct ContestQuery {
    page: Option<String>,
    v: Option<String>,
    /// `votes`: most voted first (once counts are public).
    sort: Option<String>,
    /// `sent`: a voting link was just asked for.
    vote: Option<String>,
    /// `1`: the organizer has just created the contest.
    created: Option<String>,
}

/// Which part of the contest page's grid to show.
#[derive(Debug, Clone, Copy)]
pub struct Grid {
    pub page: i64,
    pub by_votes: bool,
    pub link_sent: bool,
    /// The contest was just created: its organizer sees the public link to copy.
    pub created: bool,
}

impl Grid {
    pub fn first() -> Self {
        Self {
            page: 1,
            by_votes: false,
            link_sent: false,
            created: false,
        }
    }
}

fn author(v: &Video) -> String {
    format!("{} {}", v.first_name, v.last_name)
}

/// Browser URLs of a converted video's media.
pub struct MediaUrls {
    pub mp4: String,
    pub poster: String,
    /// The master playlist (served by the web tier), when the video has an HLS ladder.
    pub hls: Option<String>,
    /// The participant's subtitles (served by the web tier), when they sent some.
    pub captions: Option<CaptionTrack>,
}

/// The `<track>` of a video's subtitles, when the participant sent some.
fn caption_track(v: &Video) -> Option<CaptionTrack> {
    let lang = v.captions_lang.as_deref()?;
    Some(CaptionTrack {
        url: format!("/files/media/{}/captions.vtt", v.id),
        lang: lang.to_string(),
        label: shared::media::captions::language_name(lang)
            .unwrap_or(lang)
            .to_string(),
    })
}

async fn media_urls(state: &AppState, v: &Video) -> Result<Option<MediaUrls>, AppError> {
    match (&v.mp4_key, &v.poster_key) {
        (Some(m), Some(p)) if v.state == VideoState::Converted => Ok(Some(MediaUrls {
            mp4: state.backends.storage.public_url(m).await?,
            poster: state.backends.storage.public_url(p).await?,
            hls: hls_url(v),
            captions: caption_track(v),
        })),
        _ => Ok(None),
    }
}

/// Media URLs of a video only if it is public (the judge's scoring page).
pub async fn public_media(state: &AppState, v: &Video) -> Result<Option<MediaUrls>, AppError> {
    if v.is_public() {
        media_urls(state, v).await
    } else {
        Ok(None)
    }
}

/// Poster only (the contest grid): one URL per card, nothing else signed or looked up.
async fn poster_url(state: &AppState, v: &Video) -> Result<Option<String>, AppError> {
    match &v.poster_key {
        Some(p) if v.state == VideoState::Converted => {
            Ok(Some(state.backends.storage.public_url(p).await?))
        }
        _ => Ok(None),
    }
}

/// The master playlist URL when the worker wrote an HLS ladder for this video (`hls_rungs`;
/// videos converted before HLS existed have only the MP4 until `worker backfill-hls` runs).
fn hls_url(v: &Video) -> Option<String> {
    v.hls_rungs
        .as_deref()
        .filter(|r| !r.is_empty())
        .map(|_| format!("/files/media/{}/hls/master.m3u8", v.id))
}

fn contest_status(c: &Contest) -> &'static str {
    let now = now_ms();
    if c.is_open_at(now) {
        "open"
    } else if now < c.starts_at {
        "upcoming"
    } else {
        "closed"
    }
}

/// Renders the public contest page; the upload handler reuses it to show form errors.
pub async fn render_contest(
    state: &AppState,
    session: &Session,
    contest: &Contest,
    grid: Grid,
    selected: Option<&VideoId>,
    form: Form,
    status: StatusCode,
) -> AppResult {
    let db = &state.backends.db;
    let page = grid.page;
    let is_owner = super::current_user(session, state)
        .await?
        .is_some_and(|u| u.id == contest.owner_id);
    let by_votes = grid.by_votes && super::voting::tallies_public(contest);
    let (rows, total) = db
        .public_videos(&contest.id, (page - 1) * PER_PAGE, PER_PAGE, by_votes)
        .await?;
    let voting = super::voting::panel(state, session, contest, &rows, grid.link_sent).await?;
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    let mut videos = Vec::with_capacity(rows.len());
    for v in &rows {
        let poster_url = poster_url(state, v).await?;
        videos.push(VideoCard {
            id: v.id,
            title: v.title.clone(),
            author: author(v),
            poster_url,
        });
    }
    let playing = match selected {
        Some(id) => match db.video_by_id(id).await? {
            Some(v) if v.contest_id == contest.id && (v.is_public() || is_owner) => {
                match media_urls(state, &v).await? {
                    Some(urls) => Some(PlayingVideo {
                        id: v.id,
                        title: v.title.clone(),
                        author: author(&v),
                        description: v.description.clone(),
                        mp4_url: urls.mp4,
                        poster_url: urls.poster,
                        hls_url: urls.hls,
                        captions: urls.captions,
                    }),
                    None => None,
                }
            }
            _ => None,
        },
        None => None,
    };
    let organizer_videos = if is_owner {
        db.contest_entries(&contest.id)
            .await?
            .into_iter()
            .map(|v| OrganizerVideo {
                id: v.id,
                title: v.title.clone(),
                author: author(&v),
                email: v.email.clone(),
                state: v.state,
                progress: v.progress,
                // The organizer sees the public sentence and the sanitized detail.
                error: match (v.error.as_deref(), v.error_detail.as_deref()) {
                    (Some(code), Some(detail)) => {
                        format!("{} ({detail})", crate::i18n::Lang::current().failure(code))
                    }
                    (Some(code), None) => crate::i18n::Lang::current().failure(code),
                    (None, _) => String::new(),
                },
                hidden: v.hidden,
                can_retry: v.state == VideoState::Failed,
                published: v.is_public(),
                date: contest.zone().display(v.created_at),
                date_iso: shared::time::iso(v.created_at),
                duration: crate::views::clock(v.duration_ms),
                terms_accepted: v
                    .terms_accepted_at
                    .map(|t| contest.zone().display(t))
                    .unwrap_or_default(),
                review: v.review,
                review_message: v.review_message.clone().unwrap_or_default(),
                awaiting_review: v.awaits_review(),
                captions: caption_track(&v).map(|t| t.label).unwrap_or_default(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let undelivered = if is_owner {
        db.undelivered_emails(&contest.id, 50)
            .await?
            .into_iter()
            .map(|m| crate::views::UndeliveredMail {
                video_title: m.video_title.unwrap_or_default(),
                recipient: m.recipient,
                subject: m.subject,
                reason: m.last_error.unwrap_or_default(),
                state: m.state,
                at: contest.zone().display(m.created_at),
            })
            .collect()
    } else {
        Vec::new()
    };
    let banner_url = match &contest.banner_key {
        Some(k) => Some(state.backends.storage.public_url(k).await?),
        None => None,
    };
    let base = state.settings.base_url();
    let has_image = contest.banner_key.is_some() || !rows.is_empty();
    let meta = crate::views::PageMeta {
        title: contest.name.clone(),
        description: crate::views::PageMeta::describe(&contest.description, &contest.name),
        url: format!("{base}/c/{}", contest.slug),
        image: has_image.then(|| format!("{base}/c/{}/image", contest.slug)),
        kind: "website",
        noindex: false,
    };
    let page_view = ContestPage {
        layout: layout(session, state).await?,
        slug: contest.slug.clone(),
        name: contest.name.clone(),
        description: contest.description.clone(),
        prize: contest.prize.clone(),
        when: crate::views::When::of(contest, now_ms()),
        banner_url,
        terms: contest.terms.clone(),
        status: contest_status(contest),
        is_owner,
        playing,
        videos,
        page,
        pages,
        organizer_videos,
        undelivered,
        meta,
        form,
        max_upload_mb: state.settings.upload.max_bytes / (1024 * 1024),
        captions_max_kb: state.settings.upload.captions_max_bytes.div_ceil(1024),
        winners: super::results::winner_cards(state, contest).await?,
        voting,
        by_votes,
        created_link: (grid.created && is_owner).then(|| format!("{base}/c/{}", contest.slug)),
    };
    html(status, &page_view)
}

pub async fn show_contest(
    state: State,
    session: Session,
    path: web::Path<String>,
    q: web::Query<ContestQuery>,
) -> AppResult {
    let contest = state
        .backends
        .db
        .contest_by_slug(&path)
        .await?
        .ok_or_else(AppError::not_found)?;
    let page = match q.page.as_deref() {
        None => 1,
        Some(p) => p
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=100_000).contains(n))
            .ok_or_else(|| AppError::invalid("page", "error.msg_bad_page"))?,
    };
    let grid = Grid {
        page,
        by_votes: q.sort.as_deref() == Some("votes"),
        link_sent: q.vote.as_deref() == Some("sent"),
        created: q.created.as_deref() == Some("1"),
    };
    // `?v=` that is not a video id plays nothing, like an id of no video.
    let selected = q.v.as_deref().and_then(|v| v.parse::<VideoId>().ok());
    render_contest(
        &state,
        &session,
        &contest,
        grid,
        selected.as_ref(),
        Form::default(),
        StatusCode::OK,
    )
    .await
}

/// The video and its contest, checking that they belong together.
async fn load(state: &AppState, slug: &str, id: &VideoId) -> Result<(Contest, Video), AppError> {
    let db = &state.backends.db;
    let contest = db
        .contest_by_slug(slug)
        .await?
        .ok_or_else(AppError::not_found)?;
    let video = db
        .video_by_id(id)
        .await?
        .filter(|v| v.contest_id == contest.id)
        .ok_or_else(AppError::not_found)?;
    Ok((contest, video))
}

/// The participant's page: live status while processing, the player when converted. The link in
/// the email points here, so it works for hidden videos only for the organizer.
pub async fn show(state: State, session: Session, path: web::Path<(String, VideoId)>) -> AppResult {
    let (slug, id) = path.into_inner();
    let (contest, video) = load(&state, &slug, &id).await?;
    let is_owner = super::current_user(&session, &state)
        .await?
        .is_some_and(|u| u.id == contest.owner_id);
    if video.hidden && !is_owner {
        return Err(AppError::not_found());
    }
    // Awaiting review or rejected: the page says so; only the organizer gets the player.
    let review_notice = match video.review {
        _ if video.state != VideoState::Converted || is_owner => None,
        ReviewState::Approved => None,
        r @ (ReviewState::Pending | ReviewState::Rejected) => Some(r),
    };
    let urls = if review_notice.is_none() {
        media_urls(&state, &video).await?
    } else {
        None
    };
    let queue_ahead = match video.state {
        VideoState::Queued | VideoState::Processing => Some(
            state
                .backends
                .db
                .videos_ahead(video.created_at, &video.id)
                .await?,
        ),
        _ => None,
    };
    let base = state.settings.base_url();
    let meta = crate::views::PageMeta {
        title: format!("{} · {}", video.title, contest.name),
        description: crate::views::PageMeta::describe(
            &video.description,
            &format!("{} · {}", author(&video), contest.name),
        ),
        url: format!("{base}/c/{}/v/{}", contest.slug, video.id),
        image: (video.is_public() && video.poster_key.is_some())
            .then(|| format!("{base}/c/{}/v/{}/poster.jpg", contest.slug, video.id)),
        kind: "video.other",
        noindex: !video.is_public(),
    };
    let page = VideoPage {
        layout: layout(&session, &state).await?,
        slug: contest.slug.clone(),
        contest_name: contest.name.clone(),
        id: video.id,
        title: video.title.clone(),
        author: author(&video),
        description: video.description.clone(),
        state: video.state,
        progress: video.progress,
        error: video
            .error
            .as_deref()
            .map(|c| crate::i18n::Lang::current().failure(c))
            .unwrap_or_default(),
        mp4_url: urls.as_ref().map(|u| u.mp4.clone()),
        poster_url: urls.as_ref().map(|u| u.poster.clone()),
        captions: urls.as_ref().and_then(|u| u.captions.clone()),
        hls_url: urls.and_then(|u| u.hls),
        hidden: video.hidden,
        meta,
        uploader_email: super::upload::uploaded_here(&session, &video.id)
            .then(|| video.email.clone()),
        queue_ahead,
        review_notice,
        contest_reviews: contest.reviews_entries(),
    };
    html(StatusCode::OK, &page)
}

/// `GET /api/videos/{id}`: status for the live page and for API clients.
pub async fn api(state: State, session: Session, path: web::Path<VideoId>) -> AppResult {
    let db = &state.backends.db;
    let video = db.video_by_id(&path).await?.ok_or(AppError::NotFound)?;
    let reviewed_out = video.review != ReviewState::Approved;
    let owner = if video.hidden || reviewed_out {
        match db.contest_by_id(&video.contest_id).await? {
            Some(c) => super::current_user(&session, &state)
                .await?
                .is_some_and(|u| u.id == c.owner_id),
            None => false,
        }
    } else {
        false
    };
    if video.hidden && !owner {
        return Err(AppError::NotFound);
    }
    // Awaiting review or rejected: the status, but no media, unless the organizer asks.
    let urls = if reviewed_out && !owner {
        None
    } else {
        media_urls(&state, &video).await?
    };
    // The entry's votes, once its contest's counts are public (absent before, and for hidden,
    // unconverted or unapproved entries).
    let votes = match db.contest_by_id(&video.contest_id).await? {
        Some(c) if video.is_public() && super::voting::tallies_public(&c) => {
            Some(db.vote_count(&video.id).await?)
        }
        _ => None,
    };
    let mut body = serde_json::json!({
            "id": video.id,
            "state": video.state,
            "progress": video.progress,
            // A fixed sentence in the request's language, and its stable code.
            "error": video.error.as_deref().map(|c| crate::i18n::Lang::current().failure(c)),
            "error_code": video.error,
            "mp4_url": urls.as_ref().map(|u| &u.mp4),
            "poster_url": urls.as_ref().map(|u| &u.poster),
            "hls_url": urls.as_ref().and_then(|u| u.hls.as_ref()),
            "captions": urls.as_ref().and_then(|u| u.captions.as_ref()),
            "review": video.review,
    });
    if let Some(n) = votes {
        body["votes"] = n.into();
    }
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(body))
}

/// Organizer actions: CSRF, then ownership, then the video must belong to the contest.
async fn organizer_video(
    state: &AppState,
    session: &Session,
    (slug, id): &(String, VideoId),
    body: &CsrfForm,
) -> Result<(Contest, Video), AppError> {
    security::check_csrf(session, body.csrf_token.as_deref())?;
    let (_, contest) = owned_contest(session, state, slug).await?;
    let video = state
        .backends
        .db
        .video_by_id(id)
        .await?
        .filter(|v| v.contest_id == contest.id)
        .ok_or_else(AppError::not_found)?;
    Ok((contest, video))
}

fn back_to(contest: &Contest) -> HttpResponse {
    see_other(&format!("/c/{}#organizer", contest.slug))
}

pub async fn retry(
    state: State,
    session: Session,
    path: web::Path<(String, VideoId)>,
    body: web::Form<CsrfForm>,
) -> AppResult {
    let (contest, video) = organizer_video(&state, &session, &path, &body).await?;
    if !state.backends.db.requeue_failed(&video.id).await? {
        return Err(AppError::Conflict {
            field: "form",
            message: crate::i18n::Lang::current().t("error.msg_retry_not_failed"),
        });
    }
    state.backends.queue.wake();
    Ok(back_to(&contest))
}

pub async fn hide(
    state: State,
    session: Session,
    path: web::Path<(String, VideoId)>,
    body: web::Form<CsrfForm>,
) -> AppResult {
    set_hidden(&state, &session, &path, &body, true).await
}

pub async fn unhide(
    state: State,
    session: Session,
    path: web::Path<(String, VideoId)>,
    body: web::Form<CsrfForm>,
) -> AppResult {
    set_hidden(&state, &session, &path, &body, false).await
}

async fn set_hidden(
    state: &AppState,
    session: &Session,
    path: &(String, VideoId),
    body: &CsrfForm,
    hidden: bool,
) -> AppResult {
    let (contest, video) = organizer_video(state, session, path, body).await?;
    state.backends.db.set_hidden(&video.id, hidden).await?;
    Ok(back_to(&contest))
}

pub async fn delete(
    state: State,
    session: Session,
    path: web::Path<(String, VideoId)>,
    body: web::Form<CsrfForm>,
) -> AppResult {
    let (contest, video) = organizer_video(&state, &session, &path, &body).await?;
    state.backends.db.delete_video(&video.id).await?;
    delete_files(&state, &video.id).await;
    Ok(back_to(&contest))
}

/// Removes a video's original and outputs (the whole `media/{id}` folder: MP4, poster, HLS);
/// failures are logged (the row is already gone).
pub async fn delete_files(state: &AppState, video_id: &VideoId) {
    let storage = &state.backends.storage;
    let original = keys::original(video_id);
    if let Err(e) = storage.delete(&original).await {
        tracing::warn!(%video_id, key = original, error = %e, "could not delete file");
    }
    let folder = keys::media_prefix(video_id);
    if let Err(e) = storage.delete_prefix(&folder).await {
        tracing::warn!(%video_id, folder, error = %e, "could not delete media folder");
    }
}

/// `GET /c/{slug}/v/{id}/poster.jpg`: a stable URL for the poster of a public video (what a
/// shared link's preview shows), redirecting to the current media URL (signed URLs expire).
pub async fn poster_link(state: State, path: web::Path<(String, VideoId)>) -> AppResult {
    let (slug, id) = path.into_inner();
    let (_, video) = load(&state, &slug, &id).await?;
    match (&video.poster_key, video.is_public()) {
        (Some(key), true) => image_redirect(&state, key).await,
        _ => Err(AppError::not_found()),
    }
}

/// `GET /c/{slug}/image`: the contest's preview image: its banner, else the newest public
/// video's poster.
pub async fn contest_image(state: State, path: web::Path<String>) -> AppResult {
    let db = &state.backends.db;
    let contest = db
        .contest_by_slug(&path)
        .await?
        .ok_or_else(AppError::not_found)?;
    if let Some(key) = &contest.banner_key {
        return image_redirect(&state, key).await;
    }
    let (rows, _) = db.public_videos(&contest.id, 0, 1, false).await?;
    match rows.first().and_then(|v| v.poster_key.clone()) {
        Some(key) => image_redirect(&state, &key).await,
        None => Err(AppError::not_found()),
    }
}

async fn image_redirect(state: &AppState, key: &str) -> AppResult {
    let url = state.backends.storage.public_url(key).await?;
    Ok(HttpResponse::Found()
        .insert_header(("Location", url))
        // Shorter than any signed URL's lifetime.
        .insert_header(("Cache-Control", "public, max-age=300"))
        .finish())
}
