use super::FieldError;

/// Trimmed text with a required/optional flag and a maximum length in characters. `label` is
/// the catalogue key of the field's name (`cform.name`), used by the error sentences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundedText(String);

impl BoundedText {
    pub fn parse(
        field: &'static str,
        label: &'static str,
        raw: &str,
        required: bool,
        max: usize,
    ) -> Result<Self, FieldError> {
        let s = raw.trim();
        if required && s.is_empty() {
            return Err(FieldError::new(field, "field.required").with_label(label));
        }
        if s.chars().count() > max {
            return Err(FieldError::new(field, "field.too_long")
                .with_label(label)
                .with_arg("max", max));
        }
        if s.chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
        {
            return Err(FieldError::new(field, "field.control_chars").with_label(label));
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
        let t = BoundedText::parse("title", "org.title", raw, true, 200)?;
        if t.as_str().contains(['\n', '\r']) {
            return Err(FieldError::new("title", "field.single_line").with_label("org.title"));
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
    pub fn parse(field: &'static str, label: &'static str, raw: &str) -> Result<Self, FieldError> {
        let t = BoundedText::parse(field, label, raw, true, 100)?;
        if t.as_str().contains(['\n', '\r']) {
            return Err(FieldError::new(field, "field.single_line").with_label(label));
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
            BoundedText::parse("d", "cform.description", "", false, 5)
                .unwrap()
                .as_str(),
            ""
        );
        let e = BoundedText::parse("d", "cform.description", "123456", false, 5).unwrap_err();
        assert_eq!(e.message("en"), "Description must be at most 5 characters.");
        assert_eq!(
            e.message("es"),
            "El campo «Descripción» admite como máximo 5 caracteres."
        );
        assert!(BoundedText::parse("d", "cform.description", "bad\u{0}", false, 50).is_err());
    }
}
