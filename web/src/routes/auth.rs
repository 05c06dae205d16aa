use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::web;
use serde::Deserialize;
use shared::domain::EmailAddress;
use shared::error::DbError;

use super::{layout, see_other, State};
use crate::error::{html, AppResult};
use crate::i18n::Lang;
use crate::security::{self, MIN_PASSWORD};
use crate::views::{AuthPage, Form};

#[derive(Deserialize)]
pub struct Credentials {
    csrf_token: Option<String>,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

async fn page(
    state: &State,
    session: &Session,
    register: bool,
    form: Form,
    status: StatusCode,
) -> AppResult {
    html(
        status,
        &AuthPage {
            layout: layout(session, state).await?,
            register,
            form,
            min_password: MIN_PASSWORD,
        },
    )
}

pub async fn register_get(state: State, session: Session) -> AppResult {
    page(&state, &session, true, Form::default(), StatusCode::OK).await
}

pub async fn login_get(state: State, session: Session) -> AppResult {
    page(&state, &session, false, Form::default(), StatusCode::OK).await
}

fn form_with(email: &str) -> Form {
    let mut f = Form::default();
    f.values.insert("email".into(), email.to_string());
    f
}

pub async fn register_post(
    state: State,
    session: Session,
    body: web::Form<Credentials>,
) -> AppResult {
    security::check_csrf(&session, body.csrf_token.as_deref())?;
    let mut form = form_with(&body.email);
    let email = EmailAddress::parse("email", &body.email);
    if let Err(e) = &email {
        form.set_error("email", Lang::current().field_error(e));
    }
    if let Err(m) = security::check_password_rules(&body.password) {
        form.set_error("password", m);
    }
    let Ok(email) = email else {
        return page(&state, &session, true, form, StatusCode::BAD_REQUEST).await;
    };
    if !form.errors.is_empty() {
        return page(&state, &session, true, form, StatusCode::BAD_REQUEST).await;
    }
    let hash = state.hasher.hash(body.password.clone()).await?;
    match state.backends.db.create_user(&email, &hash).await {
        Ok(user) => {
            security::log_in(&session, &user.id)?;
            Ok(see_other("/dashboard"))
        }
        Err(DbError::Duplicate(_)) => {
            form.set_error("email", Lang::current().t("auth.exists"));
            page(&state, &session, true, form, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Login. Besides the per-address limit (governor, in `routes::configure`), each account allows
/// `limits.login_failures_per_account` failures per window, counted whatever address they come
/// from; then it answers 429 with Retry-After, even to the right password, until the window
/// passes. Unknown emails are counted and verified the same way, so nothing tells them apart.
pub async fn login_post(state: State, session: Session, body: web::Form<Credentials>) -> AppResult {
    security::check_csrf(&session, body.csrf_token.as_deref())?;
    let db = &state.backends.db;
    let limits = &state.settings.limits;
    let bucket = crate::limits::login_bucket(&body.email);
    crate::limits::check_bucket(
        db,
        &bucket,
        limits.login_failures_per_account,
        limits.login_failure_window_secs,
        "limit.account",
    )
    .await?;
    let mut form = form_with(&body.email);
    let user = match EmailAddress::parse("email", &body.email) {
        Ok(email) => db.user_by_email(&email).await?,
        Err(_) => None,
    };
    let ok = state
        .hasher
        .verify(
            body.password.clone(),
            user.as_ref().map(|u| u.password_hash.clone()),
        )
        .await?;
    match user {
        Some(u) if ok => {
            db.rate_clear(&bucket).await?;
            security::log_in(&session, &u.id)?;
            Ok(see_other("/dashboard"))
        }
        _ => {
            db.rate_record(&bucket).await?;
            form.set_error("password", Lang::current().t("auth.mismatch"));
            page(&state, &session, false, form, StatusCode::UNAUTHORIZED).await
        }
    }
}

pub async fn logout(session: Session, body: web::Form<super::CsrfForm>) -> AppResult {
    security::check_csrf(&session, body.csrf_token.as_deref())?;
    security::log_out(&session);
    Ok(see_other("/"))
}
