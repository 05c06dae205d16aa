//! Typed ids: one newtype per table over a UUID (UUIDv7, made by [`new_id`] in the app so SQLite
//! and MySQL behave alike). A `VideoId` cannot be passed where a `ContestId` is expected, and a
//! path segment that is not an id never reaches the database: it fails to parse (a 404).
//!
//! In the database they stay the `VARCHAR(36)` strings they always were (the canonical,
//! lowercase, hyphenated form); in JSON and URLs too. Only that form parses, so every id has one
//! spelling (no second URL for the same video through an upper-case or brace-wrapped variant).
use std::fmt;
use std::str::FromStr;

use uuid::Uuid;

/// A new app-generated UUID (UUIDv7: time-ordered, so ids sort by creation).
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}

/// The text is not an id in canonical form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a {kind}: {text:?}")]
pub struct BadId {
    kind: &'static str,
    text: String,
}

fn parse_canonical(kind: &'static str, s: &str) -> Result<Uuid, BadId> {
    let bad = || BadId {
        kind,
        text: s.chars().take(64).collect(),
    };
    let u = Uuid::try_parse(s).map_err(|_| bad())?;
    // `try_parse` also takes the simple, braced and URN forms and upper case.
    let mut buf = Uuid::encode_buffer();
    if u.hyphenated().encode_lower(&mut buf) != s {
        return Err(bad());
    }
    Ok(u)
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh id ([`new_id`]).
            pub fn new() -> Self {
                Self(new_id())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0.hyphenated(), f)
            }
        }

        impl FromStr for $name {
            type Err = BadId;
            fn from_str(s: &str) -> Result<Self, BadId> {
                parse_canonical($kind, s).map(Self)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                let mut buf = Uuid::encode_buffer();
                self.0.hyphenated().encode_lower(&mut buf) == other
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }

        text_column!($name);
    };
}

id_type!(
    /// `videos.id`: an entry.
    VideoId,
    "video id"
);
id_type!(
    /// `contests.id`.
    ContestId,
    "contest id"
);
id_type!(
    /// `users.id`: an organizer.
    UserId,
    "user id"
);
id_type!(
    /// `jobs.id`: an outbox / DB-queue row.
    JobId,
    "job id"
);
id_type!(
    /// `emails.id`: a mail of the outbox.
    EmailId,
    "email id"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_text_and_json() {
        let id = VideoId::new();
        let text = id.to_string();
        assert_eq!(text.len(), 36);
        assert_eq!(text.parse::<VideoId>().unwrap(), id);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{text}\""));
        assert_eq!(serde_json::from_str::<VideoId>(&json).unwrap(), id);
        assert!(id == *text.as_str());
    }

    #[test]
    fn only_the_canonical_form_parses() {
        let id = ContestId::new();
        let text = id.to_string();
        for other in [
            text.to_uppercase(),
            text.replace('-', ""),
            format!("{{{text}}}"),
            format!("urn:uuid:{text}"),
            format!(" {text}"),
            String::new(),
            "not-an-id".into(),
            "../../etc/passwd".into(),
        ] {
            let e = other.parse::<ContestId>().unwrap_err();
            assert!(e.to_string().starts_with("not a contest id"), "{e}");
        }
        assert!(serde_json::from_str::<ContestId>("\"x\"").is_err());
    }

    #[test]
    fn ids_are_time_ordered() {
        let a = JobId::new();
        let b = JobId::new();
        assert!(a.to_string() < b.to_string());
    }

    /// Stored as the same text as before, on the Any driver (SQLite here; MySQL in the
    /// black-box suites).
    #[tokio::test]
    async fn binds_and_decodes_as_text() {
        let pool = super::super::memory_db().await;
        sqlx::query("CREATE TABLE t (id VARCHAR(36) NOT NULL, other VARCHAR(36) NULL)")
            .execute(&pool)
            .await
            .unwrap();
        let id = UserId::new();
        sqlx::query("INSERT INTO t (id, other) VALUES (?, ?)")
            .bind(id)
            .bind(None::<UserId>)
            .execute(&pool)
            .await
            .unwrap();
        let text: String = sqlx::query_scalar("SELECT id FROM t")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(text, id.to_string());
        let (back, other): (UserId, Option<UserId>) = sqlx::query_as("SELECT id, other FROM t")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!((back, other), (id, None));
        sqlx::query("UPDATE t SET id = 'garbage'")
            .execute(&pool)
            .await
            .unwrap();
        let e = sqlx::query_scalar::<_, UserId>("SELECT id FROM t")
            .fetch_one(&pool)
            .await
            .unwrap_err();
        assert!(e.to_string().contains("not a user id"), "{e}");
    }
}
