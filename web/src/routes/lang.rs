//! `GET /lang/{code}?next=/path`: the language switcher. A plain link (works without JS and
//! without a form) that stores the choice in a `lang` cookie, which wins over `Accept-Language`.
//! A GET is acceptable here: the cookie only changes how pages are worded, nothing in the data.
use actix_web::cookie::{time::Duration, Cookie, SameSite};
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::State;
use crate::error::{AppError, AppResult};
use crate::i18n::{safe_back_to, Lang, COOKIE};

#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

pub async fn switch(state: State, path: web::Path<String>, q: web::Query<Next>) -> AppResult {
    let lang = Lang::parse(&path).ok_or_else(AppError::not_found)?;
    let cookie = Cookie::build(COOKIE, lang.code())
        .path("/")
        .max_age(Duration::days(365))
        .same_site(SameSite::Lax)
        .http_only(true)
        .secure(state.settings.secure_cookies)
        .finish();
    Ok(HttpResponse::SeeOther()
        .insert_header((
            actix_web::http::header::LOCATION,
            safe_back_to(q.next.as_deref()),
        ))
        .cookie(cookie)
        .finish())
}
