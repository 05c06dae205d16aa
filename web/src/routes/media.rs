//! Local-mode media: converted MP4s and posters with Range support (seeking), and banners.
//! Originals are never reachable: only keys under `media/` and `banners/` are served.
use actix_files::NamedFile;
use actix_session::Session;
use actix_web::http::header::{CacheControl, CacheDirective};
use actix_web::{web, HttpRequest, HttpResponse};
use shared::storage::keys;

use super::State;
use crate::error::{AppError, AppResult};

pub async fn video_file(
    state: State,
    session: Session,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> AppResult {
    let (id, file) = path.into_inner();
    let key = match file.as_str() {
        "video.mp4" => keys::mp4(&id),
        "poster.jpg" => keys::poster(&id),
        _ => return Err(AppError::not_found()),
    };
    let db = &state.backends.db;
    let video = db.video_by_id(&id).await?.ok_or_else(AppError::not_found)?;
    if video.state() != shared::domain::VideoState::Converted {
        return Err(AppError::not_found());
    }
    if video.hidden != 0 {
        let contest = db
            .contest_by_id(&video.contest_id)
            .await?
            .ok_or_else(AppError::not_found)?;
        let owner = super::current_user(&session, &state)
            .await?
            .is_some_and(|u| u.id == contest.owner_id);
        if !owner {
            return Err(AppError::not_found());
        }
    }
    serve(&state, &req, &key, 3600).await
}

pub async fn banner(
    state: State,
    req: HttpRequest,
    path: web::Path<(String, String)>,
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
    let file = NamedFile::open(&path).map_err(|_| AppError::not_found())?;
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
