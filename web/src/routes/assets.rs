//! `GET /static/{name}`: the embedded files of [`crate::assets`], or a development folder.
use std::path::PathBuf;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpRequest, HttpResponse};

use crate::assets;
use crate::error::AppError;

/// Where `/static/` is served from: the embedded files, or a development folder.
#[derive(Clone)]
pub struct StaticFiles {
    folder: Option<PathBuf>,
}

impl StaticFiles {
    pub fn new(folder: Option<PathBuf>) -> Self {
        Self { folder }
    }

    /// Registers `GET /static/{name}`.
    pub fn configure(self, cfg: &mut web::ServiceConfig) {
        cfg.app_data(web::Data::new(self))
            .route("/static/{name:.+}", web::get().to(serve));
    }
}

async fn serve(
    req: HttpRequest,
    files: web::Data<StaticFiles>,
    name: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let name = name.into_inner();
    if let Some(folder) = &files.folder {
        return serve_folder(&req, folder, &name).await;
    }
    let (bytes, content_type, cache) = assets::lookup(&name).ok_or_else(AppError::not_found)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static(cache)))
        .body(bytes))
}

/// Development: the folder's current file for a hashed or plain name, never cached.
async fn serve_folder(
    req: &HttpRequest,
    folder: &std::path::Path,
    name: &str,
) -> Result<HttpResponse, AppError> {
    let ok = name
        .split('/')
        .all(|p| !p.is_empty() && p != "." && p != ".." && !p.starts_with('.'));
    if !ok {
        return Err(AppError::not_found());
    }
    let candidates = [assets::strip_hash(name), Some(name.to_string())];
    for plain in candidates.into_iter().flatten() {
        let path = folder.join(&plain);
        // Opening is blocking file work: off the async threads (development only).
        let opened = web::block(move || actix_files::NamedFile::open(path)).await;
        if let Ok(Ok(file)) = opened {
            let mut res = file
                .use_etag(true)
                .use_last_modified(true)
                .prefer_utf8(true)
                .into_response(req);
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            return Ok(res);
        }
    }
    Err(AppError::not_found())
}
