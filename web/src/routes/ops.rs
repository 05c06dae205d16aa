//! `/livez` (process up), `/healthz` (DB and storage) and `/metrics` (Prometheus text format).
use actix_web::HttpResponse;
use prometheus::Encoder;

use super::State;
use crate::error::AppResult;

pub async fn healthz(state: State) -> AppResult {
    let db = state.backends.db.ping().await;
    let storage = state.backends.storage.check().await;
    let body = serde_json::json!({
        "status": if db.is_ok() && storage.is_ok() { "ok" } else { "unavailable" },
        "database": if db.is_ok() { "ok" } else { "unreachable" },
        "storage": if storage.is_ok() { "ok" } else { "unreachable" },
    });
    if let Err(e) = &db {
        tracing::error!(error = %e, "health check: database");
    }
    if let Err(e) = &storage {
        tracing::error!(error = %e, "health check: storage");
    }
    let mut res = if db.is_ok() && storage.is_ok() {
        HttpResponse::Ok()
    } else {
        HttpResponse::ServiceUnavailable()
    };
    Ok(res.insert_header(("Cache-Control", "no-store")).json(body))
}

/// Liveness only: the process answers. No DB or storage call, so a slow dependency does not
/// make the load balancer pull every instance at once (`/healthz` reports those).
pub async fn livez() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .content_type("text/plain; charset=utf-8")
        .body("ok")
}

pub async fn metrics(state: State) -> AppResult {
    // Gauges are read from the source of truth at scrape time.
    match state.backends.db.job_counts().await {
        Ok(counts) => {
            state.backends.metrics.jobs.reset();
            for (st, n) in counts {
                state
                    .backends
                    .metrics
                    .jobs
                    .with_label_values(&[st.as_str()])
                    .set(n);
            }
        }
        Err(e) => tracing::warn!(error = %e, "metrics: could not count jobs"),
    }
    if let Ok(depth) = state.backends.queue.depth().await {
        state
            .backends
            .metrics
            .queue_depth
            .set(i64::try_from(depth).unwrap_or(i64::MAX));
    }
    let mut buf = Vec::new();
    prometheus::TextEncoder::new()
        .encode(&state.backends.metrics.registry.gather(), &mut buf)
        .map_err(crate::error::AppError::unexpected)?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(buf))
}
