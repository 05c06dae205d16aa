//! Media: converted MP4s, posters and HLS files with Range support (seeking), and banners.
//! Originals are never reachable: only known file names under `media/` and `banners/` are served.
//! HLS playlists are served here in every mode (the visibility check runs on each request); in
//! local mode the segments too, elsewhere the playlists point at presigned or signed URLs.
use actix_files::NamedFile;
use actix_session::Session;
use actix_web::http::header::{CacheControl, CacheDirective, ContentType};
use actix_web::{web, HttpRequest, HttpResponse};
use shared::db::Video;
use shared::domain::{ContestId, VideoId, VideoState};
use shared::storage::hls::{self, HlsFile};
use shared::storage::{keys, StorageError};

use super::State;
use crate::error::{AppError, AppResult};

pub async fn video_file(
    state: State,
    session: Session,
    req: HttpRequest,
    path: web::Path<(VideoId, String)>,
) -> AppResult {
    let (id, file) = path.into_inner();
    let key = match file.as_str() {
        "video.mp4" => keys::mp4(&id),
        "poster.jpg" => keys::poster(&id),
        "captions.vtt" => return captions(&state, &session, &id).await,
        _ => return Err(AppError::not_found()),
    };
    viewable(&state, &session, &id).await?;
    serve(&state, &req, &key, 3600).await
}

/// `GET /files/media/{id}/hls/master.m3u8`.
pub async fn hls_master(
    state: State,
    session: Session,
    req: HttpRequest,
    path: web::Path<VideoId>,
) -> AppResult {
    let id = path.into_inner();
    hls_file(&state, &session, &req, &id, "master.m3u8").await
}

/// `GET /files/media/{id}/hls/{rung}/{file}`: a rung playlist, init file or segment.
pub async fn hls_rung(
    state: State,
    session: Session,
    req: HttpRequest,
    path: web::Path<(VideoId, String, String)>,
) -> AppResult {
    let (id, rung, file) = path.into_inner();
    hls_file(&state, &session, &req, &id, &format!("{rung}/{file}")).await
}

/// Our own clean WebVTT is at most a few times the size of the file sent (escaped `&`, `<`).
const MAX_CAPTIONS_BYTES: u64 = 16 * 1024 * 1024;

/// `GET /files/media/{id}/captions.vtt`: the participant's subtitles, checked and written again
/// at upload, through the web tier in every mode (a `<track>` must be same-origin), under the
/// video's visibility rules.
async fn captions(state: &State, session: &Session, id: &VideoId) -> AppResult {
    let video = viewable(state, session, id).await?;
    if video.captions_lang.is_none() {
        return Err(AppError::not_found());
    }
    let text = match state
        .backends
        .storage
        .read_small(&keys::captions(id), MAX_CAPTIONS_BYTES)
        .await
    {
        Ok(b) => b,
        Err(StorageError::NotFound(_)) => return Err(AppError::not_found()),
        Err(e) => return Err(e.into()),
    };
    let cache = if video.is_public() {
        "public, max-age=300"
    } else {
        "private, no-store"
    };
    Ok(HttpResponse::Ok()
        .insert_header(("Content-Type", "text/vtt; charset=utf-8"))
        .insert_header(("Cache-Control", cache))
        .body(text))
}

/// Playlists are small; anything bigger than this is not one of ours.
const MAX_PLAYLIST_BYTES: u64 = 4 * 1024 * 1024;

async fn hls_file(
    state: &State,
    session: &Session,
    req: &HttpRequest,
    id: &VideoId,
    rest: &str,
) -> AppResult {
    // Only the known names become keys: nothing else in the folder (or outside it) is reachable.
    let kind = hls::parse(rest).ok_or_else(AppError::not_found)?;
    viewable(state, session, id).await?;
    let key = keys::hls(id, rest);
    if !kind.is_playlist() {
        // Segments go through the web tier only with local storage; elsewhere the playlists
        // point at storage/CDN URLs, so there is nothing here to serve.
        return serve(state, req, &key, 3600).await;
    }
    let storage = &state.backends.storage;
    let text = match storage.read_small(&key, MAX_PLAYLIST_BYTES).await {
        Ok(b) => String::from_utf8(b.to_vec()).map_err(|_| bad_playlist(&key, "not UTF-8"))?,
        Err(StorageError::NotFound(_)) => return Err(AppError::not_found()),
        Err(e) => return Err(e.into()),
    };
    let body = match kind {
        HlsFile::Master => {
            hls::check_master(&text).map_err(|e| bad_playlist(&key, &e.to_string()))?;
            text
        }
        _ => {
            let folder = key.rsplit_once('/').map(|(f, _)| f).unwrap_or_default();
            let names = hls::media_names(&text).map_err(|e| bad_playlist(&key, &e.to_string()))?;
            let file_keys: Vec<String> = names.iter().map(|n| format!("{folder}/{n}")).collect();
            let urls = storage.media_urls(&file_keys).await?;
            hls::rewrite_media(&text, &urls).map_err(|e| bad_playlist(&key, &e.to_string()))?
        }
    };
    // Never stored by shared caches, and asked again each time: the URLs inside expire, and a
    // hidden video's playlist must stop being served at once.
    Ok(HttpResponse::Ok()
        .insert_header(ContentType(
            kind.content_type().parse().expect("valid mime"),
        ))
        .insert_header(("Cache-Control", "private, no-store"))
        .body(body))
}

fn bad_playlist(key: &str, why: &str) -> AppError {
    // Logged here with the key; the viewer gets the generic sentence of an unexpected error.
    AppError::Unexpected(anyhow::anyhow!(
        "refusing to serve a malformed playlist {key}: {why}"
    ))
}

/// The video when the visitor may watch it: converted, and public or the organizer's own.
async fn viewable(state: &State, session: &Session, id: &VideoId) -> Result<Video, AppError> {
    let db = &state.backends.db;
    let video = db.video_by_id(id).await?.ok_or_else(AppError::not_found)?;
    if video.state != VideoState::Converted {
        return Err(AppError::not_found());
    }
    // Hidden, awaiting review or rejected: the organizer's eyes only.
    if !video.is_public() {
        let contest = db
            .contest_by_id(&video.contest_id)
            .await?
            .ok_or_else(AppError::not_found)?;
        let owner = super::current_user(session, state)
            .await?
            .is_some_and(|u| u.id == contest.owner_id);
        if !owner {
            return Err(AppError::not_found());
        }
    }
    Ok(video)
}

pub async fn banner(
    state: State,
    req: HttpRequest,
    path: web::Path<(ContestId, String)>,
) -> AppResult {
    let (contest, file) = path.into_inner();
    // Banner names are fresh UUIDs: safe to cache for long.
    serve(&state, &req, &keys::banner(&contest, &file), 86400 * 30).await
}

async fn serve(state: &State, req: &HttpRequest, key: &str, max_age: u32) -> AppResult {
    let path = state
        .backends
        .storage
        .local_path(key)
        .ok_or_else(AppError::not_found)?;
    // Opening (and the metadata it reads) is blocking file work: off the async threads.
    let opened = web::block({
        let path = path.clone();
        move || NamedFile::open(path)
    })
    .await;
    let file = match opened {
        Ok(Ok(f)) => f,
        Ok(Err(_)) => return Err(AppError::not_found()),
        Err(e) => return Err(AppError::unexpected(e)),
    };
    // NamedFile guesses from the extension; `.m4s` is unknown to it.
    let file = match path.extension().and_then(|e| e.to_str()) {
        Some("m4s") | Some("mp4") => {
            file.set_content_type("video/mp4".parse().expect("valid mime"))
        }
        _ => file,
    };
    let mut res: HttpResponse = file
        .use_etag(true)
        .use_last_modified(true)
        .into_response(req);
    res.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        CacheControl(vec![
            CacheDirective::Public,
            CacheDirective::MaxAge(max_age),
        ])
        .to_string()
        .parse()
        .expect("valid header"),
    );
    Ok(res)
}
