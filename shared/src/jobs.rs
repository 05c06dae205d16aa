//! Work items. Serialized as JSON into the `jobs` outbox row (and into SQS message bodies).
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Job {
    Transcode { video_id: String },
    SendEmail { email_id: String },
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
        let j = Job::Transcode {
            video_id: "v1".into(),
        };
        assert_eq!(j.to_json(), r#"{"type":"Transcode","video_id":"v1"}"#);
        assert_eq!(Job::from_json(&j.to_json()).unwrap(), j);
        assert!(Job::from_json(r#"{"type":"Nope"}"#).is_err());
    }
}
