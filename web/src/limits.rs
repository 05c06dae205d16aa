//! Abuse limits enforced by the web tier (settings in `shared::limits`, documented in the README):
//! rate buckets counted in the database (every instance sees the same counts) and the gate on
//! uploads received at once (per instance: it guards this instance's threads, disk and memory).
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use shared::db::Db;
use shared::time::now_ms;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::AppError;

/// Seconds a client is asked to wait when the upload gate is full.
const GATE_RETRY_SECS: u64 = 30;

/// The bucket of failed logins for one account (the email as typed, normalised; unknown
/// emails get buckets too, so the answer does not tell which accounts exist).
pub fn login_bucket(email: &str) -> String {
    let e: String = email.trim().to_lowercase().chars().take(254).collect();
    format!("login:{e}")
}

pub fn upload_bucket(ip: IpAddr) -> String {
    format!("upload:{ip}")
}

/// `Err(429)` with the seconds until the oldest event in the window leaves it, when `bucket`
/// already holds `max` events within `window_secs`.
pub async fn check_bucket(
    db: &Db,
    bucket: &str,
    max: u32,
    window_secs: u64,
    message_key: &str,
) -> Result<(), AppError> {
    let window_ms = i64::try_from(window_secs.saturating_mul(1000)).unwrap_or(i64::MAX / 4);
    let (n, oldest) = db.rate_count(bucket, window_ms).await?;
    if n < i64::from(max) {
        return Ok(());
    }
    let wait_ms = oldest.map_or(window_ms, |o| o + window_ms - now_ms());
    let wait = u64::try_from(wait_ms.max(1000))
        .unwrap_or(1000)
        .div_ceil(1000);
    Err(AppError::too_many(wait, message_key))
}

/// How many uploads are being received at once: in total (503 when full) and per client
/// address (429).
#[derive(Clone)]
pub struct UploadGate {
    total: Arc<Semaphore>,
    per_address: usize,
    active: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

/// One upload's place at the gate; given back when dropped (whatever way the request ends).
pub struct UploadPermit {
    _total: OwnedSemaphorePermit,
    ip: IpAddr,
    active: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

impl UploadGate {
    pub fn new(total: usize, per_address: usize) -> Self {
        Self {
            total: Arc::new(Semaphore::new(total.max(1))),
            per_address: per_address.max(1),
            active: Arc::default(),
        }
    }

    pub fn enter(&self, ip: IpAddr) -> Result<UploadPermit, AppError> {
        let mut active = self.active.lock().unwrap_or_else(|e| e.into_inner());
        let mine = active.get(&ip).copied().unwrap_or(0);
        if mine >= self.per_address {
            return Err(AppError::too_many(GATE_RETRY_SECS, "limit.uploads_at_once"));
        }
        let permit = self
            .total
            .clone()
            .try_acquire_owned()
            .map_err(|_| AppError::unavailable(GATE_RETRY_SECS, "limit.busy"))?;
        active.insert(ip, mine + 1);
        Ok(UploadPermit {
            _total: permit,
            ip,
            active: self.active.clone(),
        })
    }
}

impl Drop for UploadPermit {
    fn drop(&mut self) {
        let mut active = self.active.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = active.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                active.remove(&self.ip);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gate_counts_per_address_and_in_total() {
        let gate = UploadGate::new(3, 2);
        let a: IpAddr = "203.0.113.1".parse().unwrap();
        let b: IpAddr = "203.0.113.2".parse().unwrap();
        let c: IpAddr = "203.0.113.3".parse().unwrap();
        let a1 = gate.enter(a).unwrap();
        let _a2 = gate.enter(a).unwrap();
        assert_eq!(gate.enter(a).err().unwrap().status().as_u16(), 429);
        let _b1 = gate.enter(b).unwrap();
        assert_eq!(gate.enter(c).err().unwrap().status().as_u16(), 503);
        drop(a1);
        assert!(gate.enter(c).is_ok(), "a place freed by a finished upload");
    }
}
