//! Work items. Serialized as JSON into the `jobs` outbox row (and into SQS message bodies).
use serde::{Deserialize, Serialize};

use crate::domain::{EmailId, VideoId};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Job {
    Transcode { video_id: VideoId },
    SendEmail { email_id: EmailId },
}

impl Job {
    pub fn kind(&self) -> &'static str {
        match self {
            Job::Transcode { .. } => "transcode",
            Job::SendEmail { .. } => "send_email",
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("Job serializes")
    }

    pub fn from_json(s: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_shape_is_tagged() {
        let id: VideoId = "0190b4a4-7d3c-7b6e-8f00-0123456789ab".parse().unwrap();
        let j = Job::Transcode { video_id: id };
        assert_eq!(
            j.to_json(),
            r#"{"type":"Transcode","video_id":"0190b4a4-7d3c-7b6e-8f00-0123456789ab"}"#
        );
        assert_eq!(Job::from_json(&j.to_json()).unwrap(), j);
        assert!(Job::from_json(r#"{"type":"Nope"}"#).is_err());
        // A payload whose id is not an id is malformed (dead-lettered, never run).
        assert!(Job::from_json(r#"{"type":"Transcode","video_id":"v1"}"#).is_err());
    }
}
