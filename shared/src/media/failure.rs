//! Why a conversion failed, as one of a fixed set of codes (what participants see: each code is
//! a key of the message catalogue, `shared/locales/*/media.ftl`), the raw detail kept for the log and the organizer (sanitized of
//! paths), and whether trying again can help.
use crate::process::ProcessError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureCode {
    /// The file's data is invalid (decode errors, broken container).
    Damaged,
    /// A stream or codec ffmpeg cannot handle.
    Unsupported,
    /// The video is longer than the limit (checked again at conversion).
    TooLong,
    /// The conversion took too long and was stopped.
    Timeout,
    /// The uploaded file is gone from storage.
    Missing,
    /// Anything on our side (storage, database, resources): not the participant's fault.
    Internal,
    /// The file was refused by the limits (size, frame rate, streams...) at conversion time.
    Rejected,
    /// Every attempt ended with its worker gone (killed, crashed, out of memory): the stale
    /// sweep ends the video so it never stays "processing"; the organizer can retry.
    Interrupted,
}

impl FailureCode {
    /// The stable code stored in `videos.error` and sent in the JSON API.
    pub fn as_str(self) -> &'static str {
        match self {
            FailureCode::Damaged => "media.damaged",
            FailureCode::Unsupported => "media.unsupported",
            FailureCode::TooLong => "media.too_long",
            FailureCode::Timeout => "media.timeout",
            FailureCode::Missing => "media.missing",
            FailureCode::Internal => "media.internal",
            FailureCode::Rejected => "media.rejected",
            FailureCode::Interrupted => "media.interrupted",
        }
    }

    pub const ALL: [FailureCode; 8] = [
        FailureCode::Damaged,
        FailureCode::Unsupported,
        FailureCode::TooLong,
        FailureCode::Timeout,
        FailureCode::Missing,
        FailureCode::Internal,
        FailureCode::Rejected,
        FailureCode::Interrupted,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The sentence in `lang` (a language code; unknown codes are English), from the
    /// catalogue, where the code is the key.
    pub fn sentence(self, lang: &str) -> String {
        crate::i18n::text(lang, self.as_str())
    }
}

/// The public sentence for a stored `videos.error` value: a known code in `lang`; anything else
/// (rows from before codes existed) becomes the generic sentence, never raw text.
pub fn public_sentence(stored: &str, lang: &str) -> String {
    FailureCode::parse(stored)
        .unwrap_or(FailureCode::Internal)
        .sentence(lang)
}

#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub code: FailureCode,
    /// For the log and the organizer: ffmpeg's stderr tail or the error, without paths.
    pub detail: String,
    /// Deterministic: the same input fails the same way, so no retry.
    pub permanent: bool,
}

impl Failure {
    pub fn new(code: FailureCode, detail: impl AsRef<str>, permanent: bool) -> Self {
        Self {
            code,
            detail: sanitize(detail.as_ref()),
            permanent,
        }
    }
}

/// stderr lines that mean the input itself is bad: trying again gives the same answer.
const DAMAGED: [&str; 10] = [
    "invalid data found",
    "error while decoding",
    "corrupt",
    "moov atom not found",
    "invalid nal",
    "error reading header",
    "decode errors",
    "decoding errors",
    "truncat",
    "could not find codec parameters",
];
const UNSUPPORTED: [&str; 5] = [
    "decoder (codec",
    "unsupported codec",
    "not supported",
    "unknown decoder",
    "no decoder",
];
/// stderr lines that mean the machine was short of something: worth another try.
const RESOURCE: [&str; 5] = [
    "cannot allocate memory",
    "no space left",
    "resource temporarily unavailable",
    "too many open files",
    "killed",
];

/// Decides what a failed ffmpeg run means.
pub fn classify(e: &ProcessError) -> Failure {
    match e {
        ProcessError::Timeout { .. } => Failure::new(FailureCode::Timeout, e.to_string(), false),
        ProcessError::NotInstalled(_) | ProcessError::Io { .. } => {
            Failure::new(FailureCode::Internal, e.to_string(), false)
        }
        ProcessError::Failed { stderr, status, .. } => {
            let low = stderr.to_lowercase();
            let detail = format!("ffmpeg exited with {status}: {stderr}");
            if RESOURCE.iter().any(|m| low.contains(m)) || status.contains("signal") {
                Failure::new(FailureCode::Internal, detail, false)
            } else if UNSUPPORTED.iter().any(|m| low.contains(m)) {
                Failure::new(FailureCode::Unsupported, detail, true)
            } else if DAMAGED.iter().any(|m| low.contains(m)) {
                Failure::new(FailureCode::Damaged, detail, true)
            } else {
                // Unknown: could be the machine; retried (bounded by the attempt limit).
                Failure::new(FailureCode::Internal, detail, false)
            }
        }
    }
}

/// Removes file paths and URLs from a message (keeps their last component: `…/input`).
pub fn sanitize(s: &str) -> String {
    let cleaned: Vec<String> = s
        .split_whitespace()
        .map(|w| {
            let bare = w.trim_matches(|c: char| "'\"(),:;".contains(c));
            let is_url = bare.contains("://");
            let is_path =
                bare.starts_with('/') || bare.starts_with("file:") || bare.contains(":\\");
            if is_url || (is_path && bare.len() > 1) {
                let last = bare.rsplit(['/', '\\']).next().unwrap_or("");
                let last = last.split('?').next().unwrap_or("");
                w.replace(bare, &format!("…/{last}"))
            } else {
                w.to_string()
            }
        })
        .collect();
    let joined = cleaned.join(" ");
    joined.chars().take(900).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed(stderr: &str, status: &str) -> ProcessError {
        ProcessError::Failed {
            program: "ffmpeg".into(),
            status: status.into(),
            stderr: stderr.into(),
        }
    }

    #[test]
    fn invalid_data_is_permanent_damage() {
        let f = classify(&failed(
            "[matroska @ 0x1] /data/tmp/job-x/input: Invalid data found when processing input",
            "exit status: 1",
        ));
        assert_eq!(f.code, FailureCode::Damaged);
        assert!(f.permanent);
        assert!(!f.detail.contains("/data/tmp"), "{}", f.detail);
        let f = classify(&failed(
            "300 frames successfully decoded, 900 decoding errors",
            "exit status: 69",
        ));
        assert_eq!((f.code, f.permanent), (FailureCode::Damaged, true));
    }

    #[test]
    fn unsupported_streams_are_permanent() {
        let f = classify(&failed(
            "Decoder (codec none) not found for input stream #0:0",
            "exit status: 1",
        ));
        assert_eq!((f.code, f.permanent), (FailureCode::Unsupported, true));
    }

    #[test]
    fn timeouts_resources_and_unknowns_are_retried() {
        let t = classify(&ProcessError::Timeout {
            program: "ffmpeg".into(),
            secs: 10,
        });
        assert_eq!((t.code, t.permanent), (FailureCode::Timeout, false));
        let r = classify(&failed("Cannot allocate memory", "exit status: 1"));
        assert_eq!((r.code, r.permanent), (FailureCode::Internal, false));
        let k = classify(&failed("Invalid data found", "signal: 9 (SIGKILL)"));
        assert!(!k.permanent);
        let io = classify(&ProcessError::Io {
            program: "ffmpeg".into(),
            source: std::io::Error::other("EAGAIN"),
        });
        assert!(!io.permanent);
        assert!(!classify(&failed("something new", "exit status: 1")).permanent);
    }

    #[test]
    fn codes_round_trip_and_have_both_languages() {
        for c in FailureCode::ALL {
            assert_eq!(FailureCode::parse(c.as_str()), Some(c));
            assert!(
                crate::i18n::has(c.as_str()),
                "{} not in the catalogue",
                c.as_str()
            );
            assert_ne!(c.sentence("en"), c.sentence("es"));
            assert_eq!(public_sentence(c.as_str(), "es"), c.sentence("es"));
        }
        assert_eq!(
            public_sentence("media.damaged", "en"),
            "The file is damaged: its video could not be decoded."
        );
        // Old free-text reasons never reach the public.
        assert_eq!(
            public_sentence("ffmpeg exited with /data/x: boom", "en"),
            FailureCode::Internal.sentence("en")
        );
    }

    #[test]
    fn sanitize_removes_paths_and_urls() {
        let s = sanitize("Error opening file:/srv/data/tmp/job-1/input and https://bucket.s3/x/y?sig=1 at /a/b/c.");
        assert!(!s.contains("/srv"));
        assert!(!s.contains("sig="));
        assert!(s.contains("…/input"));
        assert_eq!(sanitize("a / b"), "a / b");
    }
}
