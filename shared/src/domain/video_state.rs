use std::fmt;

/// `uploaded → queued → processing → converted | failed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VideoState {
    Uploaded,
    Queued,
    Processing,
    Converted,
    Failed,
}

impl VideoState {
    pub const ALL: [VideoState; 5] = [
        Self::Uploaded,
        Self::Queued,
        Self::Processing,
        Self::Converted,
        Self::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Uploaded => "uploaded",
            Self::Queued => "queued",
            Self::Processing => "processing",
            Self::Converted => "converted",
            Self::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Converted | Self::Failed)
    }
}

impl fmt::Display for VideoState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for s in VideoState::ALL {
            assert_eq!(VideoState::parse(s.as_str()), Some(s));
        }
        assert_eq!(VideoState::parse("nope"), None);
    }
}
