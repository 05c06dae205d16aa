//! `/healthz` (DB and storage) and `/metrics` (Prometheus text format).
use actix_web::HttpResponse;
use prometheus::Encoder;
use shared::metrics::METRICS;

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

pub async fn metrics(state: State) -> AppResult {
    // Gauges are read from the source of truth at scrape time.
    if let Ok(counts) = state.backends.db.job_counts().await {
        METRICS.jobs.reset();
        for (st, n) in counts {
            METRICS.jobs.with_label_values(&[st.as_str()]).set(n);
        }
    }
    if let Ok(depth) = state.backends.queue.depth().await {
        METRICS
            .queue_depth
            .set(i64::try_from(depth).unwrap_or(i64::MAX));
    }
    let mut buf = Vec::new();
    prometheus::TextEncoder::new()
        .encode(&METRICS.registry.gather(), &mut buf)
        .map_err(crate::error::AppError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(buf))
}
