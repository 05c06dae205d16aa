use std::fmt;

/// Where an entry stands with the organizer: `pending` (review is on and nobody decided yet;
/// shown as "awaiting review" once converted), `approved` (public once converted) or `rejected`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReviewState {
    Pending,
    Approved,
    Rejected,
}

impl ReviewState {
    pub const ALL: [ReviewState; 3] = [Self::Pending, Self::Approved, Self::Rejected];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

impl fmt::Display for ReviewState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_unknown_words() {
        for r in ReviewState::ALL {
            assert_eq!(ReviewState::parse(r.as_str()), Some(r));
        }
        assert_eq!(ReviewState::parse("Approved"), None);
        assert_eq!(ReviewState::parse(""), None);
    }
}
