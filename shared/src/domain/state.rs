//! Row states as enums. The DB stores the lower-case word (`VARCHAR(16)`); a word this release
//! does not know is a decode error naming the column and the word (logged with the cause chain
//! by whoever asked), never a silent default.
use std::fmt;

/// A state word read from the database that this release does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} {text:?}")]
pub struct UnknownState {
    kind: &'static str,
    text: String,
}

macro_rules! state_enum {
    (
        $(#[$doc:meta])* $name:ident, $kind:literal {
            $($(#[$vdoc:meta])* $variant:ident = $text:literal,)+
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $text)] $variant,)+
        }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            /// The word stored in the database and shown in JSON.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }

            pub fn parse(s: &str) -> Result<Self, UnknownState> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| UnknownState {
                        kind: $kind,
                        text: s.chars().take(64).collect(),
                    })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = UnknownState;
            fn from_str(s: &str) -> Result<Self, UnknownState> {
                Self::parse(s)
            }
        }

        text_column!($name);
    };
}

state_enum!(
    /// A video: `queued → processing → converted | failed` (the row and its job commit together,
    /// so there is no `uploaded` state in between).
    VideoState, "video state" {
        Queued = "queued",
        Processing = "processing",
        Converted = "converted",
        Failed = "failed",
    }
);

impl VideoState {
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Converted | Self::Failed)
    }
}

state_enum!(
    /// Where an entry stands with the organizer: `pending` (review is on and nobody decided
    /// yet; shown as "awaiting review" once converted), `approved` (public once converted) or
    /// `rejected`.
    ReviewState, "review state" {
        Pending = "pending",
        Approved = "approved",
        Rejected = "rejected",
    }
);

state_enum!(
    /// A row of the `jobs` table: `queued → running` (leased until `locked_until`) `→ done |
    /// failed`; `sent` once the outbox relay handed it to SQS.
    JobState, "job state" {
        Queued = "queued",
        Running = "running",
        Done = "done",
        Failed = "failed",
        Sent = "sent",
    }
);

state_enum!(
    /// A mail of the outbox: `pending` until `sent`, `failed` (refused for good) or `skipped`
    /// (a suppressed recipient, or over the per-recipient cap).
    EmailState, "email state" {
        Pending = "pending",
        Sent = "sent",
        Failed = "failed",
        Skipped = "skipped",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for s in VideoState::ALL {
            assert_eq!(VideoState::parse(s.as_str()), Ok(*s));
            assert_eq!(serde_json::to_string(s).unwrap(), format!("\"{s}\""));
        }
        for s in JobState::ALL {
            assert_eq!(JobState::parse(s.as_str()), Ok(*s));
        }
        for s in EmailState::ALL {
            assert_eq!(EmailState::parse(s.as_str()), Ok(*s));
        }
        for s in ReviewState::ALL {
            assert_eq!(ReviewState::parse(s.as_str()), Ok(*s));
        }
        assert!(ReviewState::parse("Approved").is_err());
        assert!(ReviewState::parse("").is_err());
        let e = VideoState::parse("nope").unwrap_err();
        assert_eq!(e.to_string(), "unknown video state \"nope\"");
    }

    /// An unknown word in the column is an error that names the column and the word.
    #[tokio::test]
    async fn an_unknown_word_fails_to_decode() {
        let pool = super::super::memory_db().await;
        sqlx::query("CREATE TABLE t (state VARCHAR(16) NOT NULL)")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("INSERT INTO t (state) VALUES (?)")
            .bind(JobState::Running)
            .execute(&pool)
            .await
            .unwrap();
        let s: JobState = sqlx::query_scalar("SELECT state FROM t")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(s, JobState::Running);
        sqlx::query("UPDATE t SET state = 'paused'")
            .execute(&pool)
            .await
            .unwrap();
        let e = sqlx::query_scalar::<_, JobState>("SELECT state FROM t")
            .fetch_one(&pool)
            .await
            .unwrap_err();
        assert!(
            e.to_string().contains("unknown job state \"paused\""),
            "{e}"
        );
    }
}
