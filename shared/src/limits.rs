//! Abuse limits, session lifetimes, the leftovers sweeper and the organizer's entry digest: each limit a setting with a
//! documented default (README "Security"). Kept apart from `config.rs` so each section is one
//! `#[serde(default)]` field there; env vars override one key each (`APP_LIMITS__UPLOADS_PER_HOUR`).
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct LimitsSettings {
    /// Failed logins per account within `login_failure_window_secs` before that account answers
    /// 429 (whatever the address the attempts come from).
    pub login_failures_per_account: u32,
    pub login_failure_window_secs: u64,
    /// Password hashes computed at once (argon2 is deliberately slow; the rest wait their turn).
    pub password_hash_concurrency: usize,
    /// How long a login or registration waits for a hashing turn before it is answered 503
    /// with Retry-After (milliseconds).
    pub password_hash_wait_ms: u64,
    /// Accepted uploads per client address within `upload_window_secs`.
    pub uploads_per_address: u32,
    pub upload_window_secs: u64,
    /// Uploads being received at once, in total and per client address.
    pub concurrent_uploads: usize,
    pub concurrent_uploads_per_address: usize,
    /// An upload that sends no bytes for this long is ended and its file removed.
    pub upload_idle_timeout_secs: u64,
    /// Mails sent to one recipient per rolling 24 hours; more are recorded as skipped.
    pub mails_per_recipient_per_day: u32,
    /// Entries per participant email in a new contest (organizers change it per contest).
    pub default_entries_per_email: u32,
    /// The contest form's text allowance in bytes (on top of the banner; the form's fields are
    /// fixed and each accepted once).
    pub contest_form_max_text_bytes: usize,
    /// Entries the dashboard's review queue lists, and the most one bulk approval takes.
    pub review_batch_max: usize,
    /// Judges (invited or accepted) per contest.
    pub judges_per_contest: usize,
    /// How long a judge's invitation link works.
    pub judge_invite_ttl_secs: u64,
    /// Honorable mentions among a contest's winners (besides places 1–3).
    pub honorable_mentions_max: usize,
    /// Voting links asked for per client address, and per contest and email address, within
    /// `voter_link_window_secs` (then 429). Every link is a mail, capped per recipient as well.
    pub voter_links_per_address: u32,
    pub voter_links_per_email: u32,
    pub voter_link_window_secs: u64,
    /// How long a voting link works (it works once).
    pub voter_link_ttl_secs: u64,
    /// The most votes per voter an organizer can allow in one contest.
    pub max_votes_per_voter: u32,
    /// Votes cast or taken back per voter within `vote_change_window_secs` (then 429): a
    /// person changes their mind a few times; a script toggling a vote is stopped.
    pub vote_changes_per_voter: u32,
    pub vote_change_window_secs: u64,
}

impl Default for LimitsSettings {
    fn default() -> Self {
        Self {
            login_failures_per_account: 10,
            login_failure_window_secs: 15 * 60,
            password_hash_concurrency: 2,
            password_hash_wait_ms: 10_000,
            uploads_per_address: 10,
            upload_window_secs: 3600,
            concurrent_uploads: 16,
            concurrent_uploads_per_address: 2,
            upload_idle_timeout_secs: 60,
            mails_per_recipient_per_day: 10,
            default_entries_per_email: 3,
            contest_form_max_text_bytes: 64 * 1024,
            review_batch_max: 100,
            judges_per_contest: 30,
            judge_invite_ttl_secs: 7 * 86_400,
            honorable_mentions_max: 10,
            voter_links_per_address: 10,
            voter_links_per_email: 3,
            voter_link_window_secs: 3600,
            voter_link_ttl_secs: 24 * 3600,
            max_votes_per_voter: 50,
            vote_changes_per_voter: 60,
            vote_change_window_secs: 3600,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct SessionSettings {
    /// A session unused for this long ends.
    pub idle_timeout_secs: u64,
    /// A session ends this long after login whatever its use.
    pub absolute_lifetime_secs: u64,
}

impl Default for SessionSettings {
    fn default() -> Self {
        Self {
            idle_timeout_secs: 12 * 3600,
            absolute_lifetime_secs: 30 * 86_400,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct SweeperSettings {
    /// How often the sweeper runs (0 turns it off).
    pub interval_secs: u64,
    /// Finished jobs and mail rows (and expired sessions) older than this are deleted.
    pub retention_secs: u64,
    /// Partial uploads, originals without a video and job temp folders older than this are
    /// leftovers of a crash (nothing alive takes that long without touching them).
    pub orphan_age_secs: u64,
}

impl Default for SweeperSettings {
    fn default() -> Self {
        Self {
            interval_secs: 3600,
            retention_secs: 7 * 86_400,
            orphan_age_secs: 6 * 3600,
        }
    }
}

/// The organizer's digest of new entries (`crate::digest`), for contests that have it on.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct DigestSettings {
    /// How often each web instance runs a digest pass, and the least time between two digests
    /// of one contest (0 turns the passes off).
    pub interval_secs: u64,
    /// Entries younger than this wait for the next pass: an entry's time is taken just before
    /// its transaction, which may wait for a lock before it commits, and a pass must not move
    /// the watermark past an entry it could not see yet.
    pub settle_secs: u64,
    /// Entries listed by name in one digest; the rest are counted ("and 5 more").
    pub max_listed: u32,
}

impl Default for DigestSettings {
    fn default() -> Self {
        Self {
            interval_secs: 15 * 60,
            settle_secs: 60,
            max_listed: 20,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `configuration/base.toml` documents these sections too (they are serde defaults, not in
    /// `config::defaults()`): every key of the code's defaults must be there with its value.
    #[test]
    fn the_example_configuration_documents_these_defaults() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../configuration/base.toml");
        let example: serde_json::Value = config::Config::builder()
            .add_source(config::File::from(path.as_path()))
            .build()
            .unwrap()
            .try_deserialize()
            .unwrap();
        let sections = [
            (
                "limits",
                serde_json::to_value(LimitsSettings::default()).unwrap(),
            ),
            (
                "sessions",
                serde_json::to_value(SessionSettings::default()).unwrap(),
            ),
            (
                "sweeper",
                serde_json::to_value(SweeperSettings::default()).unwrap(),
            ),
            (
                "digest",
                serde_json::to_value(DigestSettings::default()).unwrap(),
            ),
        ];
        for (section, defaults) in sections {
            for (k, v) in defaults.as_object().unwrap() {
                let got = example
                    .get(section)
                    .and_then(|s| s.get(k))
                    .unwrap_or_else(|| {
                        panic!("configuration/base.toml does not document {section}.{k} = {v}")
                    });
                // The config crate may hand a number back as text: compare the texts.
                let text = |x: &serde_json::Value| {
                    x.as_str().map_or_else(|| x.to_string(), str::to_string)
                };
                let same = text(got) == text(v);
                assert!(
                    same,
                    "configuration/base.toml says {section}.{k} = {got}, the code's default is {v}"
                );
            }
        }
    }
}
