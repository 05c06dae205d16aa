use super::FieldError;

/// A contest's URL slug: 3–64 chars of `a-z`, `0-9` and single inner hyphens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContestSlug(String);

const RESERVED: &[&str] = &["new", "edit", "admin", "api", "static", "media"];

impl ContestSlug {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let s = raw.trim();
        let err = |code: &'static str| Err(FieldError::new("slug", code));
        if s.len() < 3 || s.len() > 64 {
            return err("slug.length");
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return err("slug.chars");
        }
        if s.starts_with('-') || s.ends_with('-') || s.contains("--") {
            return err("slug.hyphens");
        }
        if RESERVED.contains(&s) {
            return err("slug.reserved");
        }
        Ok(Self(s.to_string()))
    }

    /// Suggests a slug from a contest name ("Fête du Film 2026!" → "fete-du-film-2026").
    pub fn suggest(name: &str) -> String {
        let mut out = String::new();
        for c in name.chars().flat_map(fold_accent) {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        let mut out: String = out.trim_end_matches('-').chars().take(64).collect();
        while out.ends_with('-') {
            out.pop();
        }
        out
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn fold_accent(c: char) -> Option<char> {
    Some(match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'Á' | 'À' | 'Â' | 'Ä' | 'Ã' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Õ' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => 'u',
        'ñ' | 'Ñ' => 'n',
        'ç' | 'Ç' => 'c',
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_from_names() {
        assert_eq!(
            ContestSlug::suggest("Fête du Film 2026!"),
            "fete-du-film-2026"
        );
        assert_eq!(
            ContestSlug::suggest("  Año  Nuevo -- corto "),
            "ano-nuevo-corto"
        );
    }

    #[test]
    fn suggestion_is_valid() {
        assert!(ContestSlug::parse(&ContestSlug::suggest("Summer Shorts")).is_ok());
    }

    #[test]
    fn rejects_bad_slugs() {
        for bad in [
            "ab",
            "Upper",
            "with space",
            "-lead",
            "trail-",
            "dou--ble",
            "new",
            "ü-ber",
        ] {
            assert!(ContestSlug::parse(bad).is_err(), "{bad}");
        }
    }
}
