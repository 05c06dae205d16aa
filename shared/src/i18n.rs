//! The one message catalogue: every sentence a participant or organizer reads (pages, the
//! scripts' messages, field errors, upload refusals, failure reasons, emails and their subjects)
//! lives in `shared/locales/<lang>/*.ftl`, written in [Fluent](https://projectfluent.org/).
//!
//! Why Fluent (through `fluent-templates`) rather than rust-i18n or a Rust table: named
//! arguments (`{ $max }`) that a translator can move around a sentence, plural and gender
//! selectors for the day a language needs them (`{ $count -> [one] … *[other] … }`), and a
//! format that translation tools read. `static_loader!` embeds the files with `include_str!` at
//! compile time, so a release binary copied alone to a machine has its messages (no files to
//! ship or find at run time), and web and worker read the same catalogue.
//!
//! Keys in code are the stable codes the rest of the system already uses (`field.required`,
//! `media.damaged`, `err.too_large`): they are stored in `videos.error` and sent as the JSON
//! `code`. Fluent identifiers cannot contain a dot (a dot addresses an attribute), so the
//! catalogue spells `field.required` as `field-required`; [`fluent_id`] is that one rule.
//!
//! Output is plain text with Fluent's Unicode isolation marks turned off: askama escapes it in
//! HTML, and the marks would show up in emails and break text comparisons.
//!
//! A key missing from a language falls back to English; a key missing everywhere (or a message
//! whose arguments were not given) logs a warning and shows the key itself, so the gap is
//! visible rather than silent. Unit tests below keep that from happening: every language has
//! every key with the same argument names.
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Display;

use fluent_bundle::FluentValue;
use fluent_templates::{langid, LanguageIdentifier};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The language codes the catalogue has (a folder under `shared/locales/` each), English first
/// (the fallback), and their identifiers in the same order.
pub const LANGS: [&str; 2] = ["en", "es"];
static IDS: [LanguageIdentifier; 2] = [langid!("en"), langid!("es")];
static EN: &LanguageIdentifier = &IDS[0];

/// A message's named arguments, owned so that domain errors can carry them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Args(Vec<(&'static str, String)>);

impl Args {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `{ $name }`.
    pub fn with(mut self, name: &'static str, value: impl Display) -> Self {
        self.0.push((name, value.to_string()));
        self
    }

    /// The value given for `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.0.iter().map(|(n, v)| (*n, v.as_str()))
    }
}

/// The Fluent identifier of a code: `field.too_long` → `field-too_long`.
pub fn fluent_id(key: &str) -> Cow<'_, str> {
    if key.contains('.') {
        Cow::Owned(key.replace('.', "-"))
    } else {
        Cow::Borrowed(key)
    }
}

/// The catalogue's code for a stored or negotiated one: `es`, `es-MX`, `ES` → `es`; anything
/// else (an empty or unknown code) → `en`.
pub fn normalize(lang: &str) -> &'static str {
    LANGS[index(lang)]
}

fn index(lang: &str) -> usize {
    let primary = lang.split(['-', '_']).next().unwrap_or("");
    LANGS
        .iter()
        .position(|c| c.eq_ignore_ascii_case(primary))
        .unwrap_or(0)
}

fn language(lang: &str) -> &'static LanguageIdentifier {
    &IDS[index(lang)]
}

/// The message for `key` in `lang`.
pub fn text(lang: &str, key: &str) -> String {
    text_with(lang, key, &Args::new())
}

/// The message for `key` in `lang` with its named arguments filled in. Plain decimal numbers
/// (`42`, `-1.5`) are passed as Fluent numbers, so plural selectors work, and print as given.
pub fn text_with(lang: &str, key: &str, args: &Args) -> String {
    let id = fluent_id(key);
    let fluent_args: HashMap<&str, FluentValue> = args.iter().map(|(n, v)| (n, value(v))).collect();
    let args = (!fluent_args.is_empty()).then_some(&fluent_args);
    let wanted = language(lang);
    match lookup(wanted, &id, args) {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(key, lang, error = e, "missing or broken translation");
            if wanted != EN {
                if let Ok(s) = lookup(EN, &id, args) {
                    return s;
                }
            }
            key.to_string()
        }
    }
}

/// Only plain decimals become numbers: Fluent's own parsing (Rust's `f64`) would also take
/// `1e5`, `inf`, `007` or a participant called `Nan`, and print them back as other text.
fn value(s: &str) -> FluentValue<'_> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    let plain = |p: &str| !p.is_empty() && p.len() < 16 && p.bytes().all(|b| b.is_ascii_digit());
    let leading_zero = int.len() > 1 && int.starts_with('0');
    if plain(int) && plain(frac) && !leading_zero {
        FluentValue::try_number(s)
    } else {
        FluentValue::from(s)
    }
}

/// Whether the catalogue has `key` (in English, the reference language).
pub fn has(key: &str) -> bool {
    lookup_raw(EN, &fluent_id(key))
}

/// One language, no fallback. The error is the crate's `LookupError` (not exported by name),
/// flattened to its `Debug` text.
fn lookup(
    lang: &LanguageIdentifier,
    id: &str,
    args: Option<&HashMap<&str, FluentValue>>,
) -> Result<String, String> {
    LOCALES
        .lookup_single_language(lang, id, args)
        .map_err(|e| format!("{e:?}"))
}

fn lookup_raw(lang: &LanguageIdentifier, id: &str) -> bool {
    // A message that needs arguments fails to format without them, yet exists; only a
    // retrieval error means the message is absent.
    match lookup(lang, id, None) {
        Ok(_) => true,
        Err(e) => !e.starts_with("MessageRetrieval"),
    }
}

/// A handle on the loader for tests in this crate.
#[cfg(test)]
fn loader() -> &'static fluent_templates::StaticLoader {
    &LOCALES
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::{Path, PathBuf};

    use fluent_syntax::ast;
    use fluent_templates::Loader;

    use super::*;

    /// `id → argument names` for every message of one language folder, parsed from the files.
    fn messages(lang: &str) -> BTreeMap<String, BTreeSet<String>> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(lang);
        let mut out = BTreeMap::new();
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        assert!(!files.is_empty(), "no files in {}", dir.display());
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            let res = fluent_syntax::parser::parse(text.as_str())
                .unwrap_or_else(|(_, errs)| panic!("{}: {errs:?}", f.display()));
            for entry in res.body {
                if let ast::Entry::Message(m) = entry {
                    assert!(m.attributes.is_empty(), "{}: use plain messages", m.id.name);
                    let mut names = BTreeSet::new();
                    if let Some(p) = &m.value {
                        variables(p, &mut names);
                    }
                    let dup = out.insert(m.id.name.to_string(), names);
                    assert!(dup.is_none(), "{}: duplicate {}", f.display(), m.id.name);
                }
            }
        }
        out
    }

    fn variables(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
        for el in &p.elements {
            if let ast::PatternElement::Placeable { expression } = el {
                expression_variables(expression, out);
            }
        }
    }

    fn expression_variables(e: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
        match e {
            ast::Expression::Select { selector, variants } => {
                inline_variables(selector, out);
                for v in variants {
                    variables(&v.value, out);
                }
            }
            ast::Expression::Inline(i) => inline_variables(i, out),
        }
    }

    fn inline_variables(i: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
        match i {
            ast::InlineExpression::VariableReference { id } => {
                out.insert(id.name.to_string());
            }
            ast::InlineExpression::Placeable { expression } => {
                expression_variables(expression, out)
            }
            ast::InlineExpression::FunctionReference { arguments, .. } => {
                for a in &arguments.positional {
                    inline_variables(a, out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn every_language_has_every_key_with_the_same_arguments() {
        let en = messages("en");
        assert!(en.len() > 150, "only {} English messages", en.len());
        for lang in LANGS {
            let other = messages(lang);
            for (id, args) in &en {
                let got = other.get(id).unwrap_or_else(|| panic!("{lang} lacks {id}"));
                assert_eq!(got, args, "{lang}: arguments of {id} differ from English");
            }
            for id in other.keys() {
                assert!(en.contains_key(id), "{lang} has {id}, English does not");
            }
        }
        // The folders are the languages the code knows, and the loader embedded them all.
        let mut dirs: Vec<String> =
            std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("locales"))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
        dirs.sort();
        assert_eq!(dirs, LANGS);
        assert_eq!(loader().locales().count(), LANGS.len());
    }

    #[test]
    fn every_message_formats_in_every_language() {
        for (id, names) in messages("en") {
            let args = names.iter().fold(Args::new(), |a, n| a.with(leak(n), "7"));
            for lang in LANGS {
                let out = LOCALES
                    .lookup_single_language(language(lang), &id, Some(&to_map(&args)))
                    .unwrap_or_else(|e| panic!("{lang} {id}: {e}"));
                assert!(!out.trim().is_empty(), "{lang} {id} is empty");
                assert!(!out.contains('\u{2068}'), "isolation marks in {id}");
            }
        }
    }

    fn leak(s: &str) -> &'static str {
        Box::leak(s.to_string().into_boxed_str())
    }

    fn to_map(a: &Args) -> HashMap<&str, FluentValue<'_>> {
        a.iter().map(|(n, v)| (n, FluentValue::from(v))).collect()
    }

    #[test]
    fn named_arguments_are_filled_in_without_isolation_marks() {
        let a = Args::new().with("label", "Nombre").with("max", 10);
        assert_eq!(
            text_with("es", "field.too_long", &a),
            "El campo «Nombre» admite como máximo 10 caracteres."
        );
        assert_eq!(
            text_with("en", "err.too_large", &Args::new().with("max", 2048)),
            "The video is larger than the limit of 2048 MB."
        );
        // Text that Rust would parse as a float stays text.
        for name in ["Nan", "inf", "1e5", "007", "1.50", "+3"] {
            assert_eq!(
                text_with("en", "mail.hello", &Args::new().with("name", name)),
                format!("Hello {name},")
            );
        }
        // Unknown or regional codes.
        assert_eq!(text("es-MX", "nav.main"), "Principal");
        assert_eq!(text("", "nav.main"), "Main");
        assert_eq!(text("fr", "nav.main"), "Main");
        assert_eq!(
            (normalize("ES"), normalize("es_MX"), normalize("de")),
            ("es", "es", "en")
        );
    }

    #[test]
    fn a_missing_key_or_argument_is_visible() {
        assert_eq!(text("es", "no.such_key"), "no.such_key");
        assert!(!has("no.such_key"));
        assert!(has("field.too_long"));
        // Without its arguments a message is not silently half-filled.
        assert_eq!(text("en", "field.too_long"), "field.too_long");
    }

    #[test]
    fn keys_map_to_fluent_identifiers() {
        assert_eq!(fluent_id("media.damaged"), "media-damaged");
        assert_eq!(fluent_id("skip"), "skip");
    }
}
