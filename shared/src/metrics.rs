//! Prometheus metrics shared by the web tier and the in-process worker. One [`Metrics`] (and one
//! registry) per app instance, held by `Backends`: two apps in one process (the tests) never see
//! each other's counts.

use prometheus::{Histogram, HistogramOpts, IntCounterVec, IntGaugeVec, Opts, Registry};

pub struct Metrics {
    pub registry: Registry,
    pub http_requests: IntCounterVec,
    pub uploads: IntCounterVec,
    pub jobs: IntGaugeVec,
    pub jobs_processed: IntCounterVec,
    pub transcode_seconds: Histogram,
    pub queue_depth: prometheus::IntGauge,
    /// argon2 computations running now, and the most that ever ran at once (never above
    /// `limits.password_hash_concurrency`).
    pub password_hashes_running: prometheus::IntGauge,
    pub password_hashes_peak: prometheus::IntGauge,
    /// Logins and registrations answered 503 because no hashing turn came in time.
    pub password_hash_busy: prometheus::IntCounter,
}

/// HTTP methods counted by name; anything else is counted as `other` (a client must not be able
/// to create a time series per invented method).
pub const METHODS: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"];

/// The method label: one of [`METHODS`] or `other`.
pub fn method_label(method: &str) -> &'static str {
    METHODS
        .iter()
        .find(|m| **m == method)
        .copied()
        .unwrap_or("other")
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        build()
    }
}

fn build() -> Metrics {
    let registry = Registry::new_custom(Some("clipcontest".into()), None).expect("registry");
    let http_requests = IntCounterVec::new(
        Opts::new("http_requests_total", "HTTP requests by route and status"),
        &["method", "route", "status"],
    )
    .expect("metric");
    let uploads = IntCounterVec::new(
        Opts::new("uploads_total", "Video uploads by result"),
        &["result"],
    )
    .expect("metric");
    let jobs = IntGaugeVec::new(Opts::new("jobs", "Jobs in the outbox by state"), &["state"])
        .expect("metric");
    let jobs_processed = IntCounterVec::new(
        Opts::new("jobs_processed_total", "Jobs handled by kind and outcome"),
        &["kind", "outcome"],
    )
    .expect("metric");
    let transcode_seconds = Histogram::with_opts(
        HistogramOpts::new("transcode_seconds", "Wall time of a video conversion").buckets(vec![
            0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0,
        ]),
    )
    .expect("metric");
    let queue_depth =
        prometheus::IntGauge::new("queue_depth", "Jobs waiting or running").expect("metric");
    let password_hashes_running =
        prometheus::IntGauge::new("password_hashes_running", "argon2 computations running now")
            .expect("metric");
    let password_hashes_peak = prometheus::IntGauge::new(
        "password_hashes_peak",
        "Most argon2 computations running at once since start",
    )
    .expect("metric");
    let password_hash_busy = prometheus::IntCounter::new(
        "password_hash_busy_total",
        "Logins and registrations refused (503) for want of a hashing turn",
    )
    .expect("metric");
    for c in [
        Box::new(http_requests.clone()) as Box<dyn prometheus::core::Collector>,
        Box::new(uploads.clone()),
        Box::new(jobs.clone()),
        Box::new(jobs_processed.clone()),
        Box::new(transcode_seconds.clone()),
        Box::new(queue_depth.clone()),
        Box::new(password_hashes_running.clone()),
        Box::new(password_hashes_peak.clone()),
        Box::new(password_hash_busy.clone()),
    ] {
        registry.register(c).expect("register metric");
    }
    Metrics {
        registry,
        http_requests,
        uploads,
        jobs,
        jobs_processed,
        transcode_seconds,
        queue_depth,
        password_hashes_running,
        password_hashes_peak,
        password_hash_busy,
    }
}
