//! Static assets (CSS, JS, icons): every file of the workspace's `static/` folder is embedded
//! in the `web` binary at compile time, so a binary copied alone to a machine serves the whole
//! site.
//!
//! Pages link them through [`url`] (in templates: `{{ layout.static_url("app.css") }}`), which
//! names the content: `/static/app.3f2a91c0.css` (the first 8 hex digits of its SHA-256). Such
//! a URL never changes meaning, so it is served with `Cache-Control: public, max-age=31536000,
//! immutable`; a deploy that changes a file changes its URL.
//!
//! To add a file (a new script, a vendored library): put it in `static/`, link it from a
//! template with `layout.static_url("name.js")` and rebuild. Nothing else to register; the
//! content type comes from the extension.
//!
//! A known file asked for under another hash (a page of the previous release during a rolling
//! update) or under its plain name gets this release's content with `Cache-Control: no-cache`;
//! unknown names are 404.
//!
//! Development: with the `static_dir` setting (`APP_STATIC_DIR=static`) files are read from
//! that folder on every request (edit, reload) with `Cache-Control: no-cache`; the hash in the
//! URL is then ignored.
//!
//! This module is the data (names, hashes, bytes); `routes::assets` answers `/static/`.
use std::collections::HashMap;
use std::sync::OnceLock;

use include_dir::{include_dir, Dir};
use sha2::{Digest, Sha256};

static FILES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../static");

/// Served for a hashed URL: the name never points at other content.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

struct Asset {
    bytes: &'static [u8],
    content_type: String,
    /// `app.3f2a91c0.css`
    hashed: String,
}

struct Table {
    /// plain name (`app.css`, `vendor/hls.min.js`) → asset
    by_name: HashMap<&'static str, Asset>,
    /// hashed name → plain name
    by_hashed: HashMap<String, &'static str>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut by_name = HashMap::new();
        let mut by_hashed = HashMap::new();
        let mut stack = vec![&FILES];
        while let Some(dir) = stack.pop() {
            for entry in dir.entries() {
                if let Some(d) = entry.as_dir() {
                    stack.push(d);
                    continue;
                }
                let Some(file) = entry.as_file() else {
                    continue;
                };
                let Some(name) = file.path().to_str() else {
                    continue;
                };
                let hash = hex::encode(Sha256::digest(file.contents()));
                let hashed = hashed_name(name, &hash[..8]);
                by_hashed.insert(hashed.clone(), name);
                by_name.insert(
                    name,
                    Asset {
                        bytes: file.contents(),
                        content_type: content_type(name),
                        hashed,
                    },
                );
            }
        }
        Table { by_name, by_hashed }
    })
}

/// `dir/app.css` + `3f2a91c0` → `dir/app.3f2a91c0.css`.
fn hashed_name(name: &str, hash: &str) -> String {
    let (dir, file) = match name.rsplit_once('/') {
        Some((d, f)) => (format!("{d}/"), f),
        None => (String::new(), name),
    };
    match file.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{dir}{stem}.{hash}.{ext}"),
        _ => format!("{dir}{file}.{hash}"),
    }
}

/// `dir/app.3f2a91c0.css` → `dir/app.css` (development folder: any 8-hex-digit middle part).
pub fn strip_hash(name: &str) -> Option<String> {
    let (dir, file) = match name.rsplit_once('/') {
        Some((d, f)) => (format!("{d}/"), f),
        None => (String::new(), name),
    };
    let mut parts: Vec<&str> = file.split('.').collect();
    let i = parts.len().checked_sub(2)?;
    let h = parts[i];
    if i == 0 || h.len() != 8 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    parts.remove(i);
    Some(format!("{dir}{}", parts.join(".")))
}

fn content_type(name: &str) -> String {
    let mime = mime_guess::from_path(name).first_or_octet_stream();
    match mime.type_() {
        mime_guess::mime::TEXT => format!("{mime}; charset=utf-8"),
        _ if mime.subtype() == mime_guess::mime::JAVASCRIPT => format!("{mime}; charset=utf-8"),
        _ => mime.to_string(),
    }
}

/// The URL of a file of `static/` (`"upload.js"` → `/static/upload.1a2b3c4d.js`). A name that
/// is not embedded is a programming error: it is logged and linked unhashed (and answers 404).
pub fn url(name: &str) -> String {
    match table().by_name.get(name) {
        Some(a) => format!("/static/{}", a.hashed),
        None => {
            tracing::error!(
                name,
                "static asset not found in the embedded static/ folder"
            );
            format!("/static/{name}")
        }
    }
}

/// Every embedded file's plain name (tests, diagnostics).
pub fn names() -> Vec<&'static str> {
    let mut v: Vec<_> = table().by_name.keys().copied().collect();
    v.sort_unstable();
    v
}

/// An embedded file's bytes and content type by its plain name (`favicon.ico`).
pub fn file(name: &str) -> Option<(&'static [u8], String)> {
    table()
        .by_name
        .get(name)
        .map(|a| (a.bytes, a.content_type.clone()))
}

/// What `/static/{name}` answers from the embedded files: the bytes, the content type and the
/// `Cache-Control` value; `None` for an unknown name.
pub fn lookup(name: &str) -> Option<(&'static [u8], &'static str, &'static str)> {
    let t = table();
    let (asset, cache) = match t.by_hashed.get(name) {
        Some(plain) => (&t.by_name[plain], IMMUTABLE),
        // During a rolling update a page from one release can ask an instance of the other
        // for its hash: answer with this release's file, but never let it be cached under
        // that name. A plain name (`/static/app.css`) is served the same way.
        None => {
            let plain = strip_hash(name);
            let asset = t.by_name.get(plain.as_deref().unwrap_or(name))?;
            (asset, "no-cache")
        }
    };
    Some((asset.bytes, asset.content_type.as_str(), cache))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_the_content_hash() {
        assert_eq!(hashed_name("app.css", "3f2a91c0"), "app.3f2a91c0.css");
        assert_eq!(
            hashed_name("vendor/hls.min.js", "00ff00ff"),
            "vendor/hls.min.00ff00ff.js"
        );
        assert_eq!(hashed_name("LICENSE", "00ff00ff"), "LICENSE.00ff00ff");
        assert_eq!(
            strip_hash("vendor/hls.min.00ff00ff.js").as_deref(),
            Some("vendor/hls.min.js")
        );
        assert_eq!(strip_hash("app.css"), None);
        assert_eq!(strip_hash("app.notahash.css"), None);
    }

    #[test]
    fn every_file_of_static_is_embedded_with_its_type() {
        let on_disk = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../static"))
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_type().unwrap().is_file())
            .count();
        assert!(names().len() >= on_disk, "{:?}", names());
        let css = url("app.css");
        assert!(
            css.starts_with("/static/app.") && css.ends_with(".css") && css.len() == 24,
            "{css}"
        );
        assert_eq!(content_type("app.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("x.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("favicon.svg"), "image/svg+xml");
    }
}
