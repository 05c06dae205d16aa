use super::FieldError;

/// Trimmed text with a required/optional flag and a maximum length in characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundedText(String);

impl BoundedText {
    pub fn parse(
        field: &'static str,
        label: &str,
        raw: &str,
        required: bool,
        max: usize,
    ) -> Result<Self, FieldError> {
        let s = raw.trim();
        if required && s.is_empty() {
            return Err(
                FieldError::new(field, "field.required", format!("{label} is required."))
                    .with_label(label),
            );
        }
        if s.chars().count() > max {
            return Err(FieldError::new(
                field,
                "field.too_long",
                format!("{label} must be at most {max} characters."),
            )
            .with_label(label)
            .with_arg(max));
        }
        if s.chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
        {
            return Err(FieldError::new(
                field,
                "field.control_chars",
                format!("{label} contains characters that are not allowed."),
            )
            .with_label(label));
        }
        Ok(Self(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// A video title: required, single line, at most 200 characters; unique per contest ignoring case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VideoTitle(String);

impl VideoTitle {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let t = BoundedText::parse("title", "Title", raw, true, 200)?;
        if t.as_str().contains(['\n', '\r']) {
            return Err(FieldError::new(
                "title",
                "field.single_line",
                "Title must be a single line.",
            )
            .with_label("Title"));
        }
        Ok(Self(t.into_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The uniqueness key: case-insensitive, inner whitespace collapsed.
    pub fn key(&self) -> String {
        self.0
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    }
}

/// A participant's first or last name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(field: &'static str, label: &str, raw: &str) -> Result<Self, FieldError> {
        let t = BoundedText::parse(field, label, raw, true, 100)?;
        if t.as_str().contains(['\n', '\r']) {
            return Err(FieldError::new(
                field,
                "field.single_line",
                format!("{label} must be a single line."),
            )
            .with_label(label));
        }
        Ok(Self(t.into_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_key_ignores_case_and_spacing() {
        let a = VideoTitle::parse(" My  Film ").unwrap();
        let b = VideoTitle::parse("my film").unwrap();
        assert_eq!(a.key(), b.key());
        assert_eq!(a.as_str(), "My  Film");
    }

    #[test]
    fn title_rules() {
        assert!(VideoTitle::parse("  ").is_err());
        assert!(VideoTitle::parse(&"x".repeat(201)).is_err());
        assert!(VideoTitle::parse("two\nlines").is_err());
        assert!(VideoTitle::parse("<script>alert(1)</script>").is_ok());
    }

    #[test]
    fn bounded_text_optional_and_max() {
        assert_eq!(
            BoundedText::parse("d", "Description", "", false, 5)
                .unwrap()
                .as_str(),
            ""
        );
        assert!(BoundedText::parse("d", "Description", "123456", false, 5).is_err());
        assert!(BoundedText::parse("d", "Description", "bad\u{0}", false, 50).is_err());
    }
}
