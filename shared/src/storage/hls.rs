//! HLS delivery: which file names exist in a video's `hls/` folder, and playlist rewriting.
//!
//! Layout (written by the worker): `media/{id}/hls/master.m3u8`, and per rung
//! `media/{id}/hls/{height}p/{index.m3u8,init.mp4,seg_00001.m4s,...}`. Only these names are ever
//! turned into storage keys, so a request path can never reach another file.
//!
//! Playlists are always served by the web tier (it checks the video's visibility on each
//! request); a rung playlist's init and segment URIs are rewritten to the URLs the storage backend
//! hands out for them: the web tier's own `/files/...` URLs locally, presigned S3 URLs, or
//! CloudFront URLs signed for the video's folder.

/// What a name inside `hls/` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HlsFile {
    Master,
    Playlist,
    Init,
    Segment,
}

impl HlsFile {
    pub fn content_type(self) -> &'static str {
        match self {
            HlsFile::Master | HlsFile::Playlist => "application/vnd.apple.mpegurl",
            HlsFile::Init | HlsFile::Segment => "video/mp4",
        }
    }

    pub fn is_playlist(self) -> bool {
        matches!(self, HlsFile::Master | HlsFile::Playlist)
    }
}

/// A rung folder: `360p` … `4320p` (or `audio` for a shared audio rendition).
pub fn is_rung(name: &str) -> bool {
    if name == "audio" {
        return true;
    }
    match name.strip_suffix('p') {
        Some(h) => (3..=4).contains(&h.len()) && h.bytes().all(|b| b.is_ascii_digit()),
        None => false,
    }
}

/// A file inside a rung folder.
pub fn rung_file(name: &str) -> Option<HlsFile> {
    match name {
        "index.m3u8" => Some(HlsFile::Playlist),
        "init.mp4" => Some(HlsFile::Init),
        _ => {
            let n = name.strip_prefix("seg_")?.strip_suffix(".m4s")?;
            ((5..=6).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()))
                .then_some(HlsFile::Segment)
        }
    }
}

/// Parses the part of a path after `hls/` (`master.m3u8` or `{rung}/{file}`).
pub fn parse(rest: &str) -> Option<HlsFile> {
    if rest == "master.m3u8" {
        return Some(HlsFile::Master);
    }
    let (rung, file) = rest.split_once('/')?;
    if !is_rung(rung) {
        return None;
    }
    rung_file(file)
}

#[derive(Debug, thiserror::Error)]
#[error("unexpected playlist entry {0:?}")]
pub struct PlaylistError(String);

/// Every URI of a playlist, in order: the plain lines and the `URI="..."` of tags.
fn uris(text: &str) -> Result<Vec<&str>, PlaylistError> {
    if !text.starts_with("#EXTM3U") {
        return Err(PlaylistError("missing #EXTM3U".into()));
    }
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .filter_map(|line| match line.strip_prefix('#') {
            Some(tag) => attribute(tag, "URI"),
            None => Some(line),
        })
        .collect())
}

/// Checks a master playlist: every URI is a known `{rung}/index.m3u8`. It is served as stored (its
/// URIs are relative, so rung playlists are asked of the web tier too).
pub fn check_master(text: &str) -> Result<(), PlaylistError> {
    for uri in uris(text)? {
        if !matches!(parse(uri), Some(HlsFile::Playlist)) {
            return Err(PlaylistError(uri.to_string()));
        }
    }
    Ok(())
}

/// The file names a rung playlist refers to (init first), in order; unknown names are an error.
pub fn media_names(text: &str) -> Result<Vec<String>, PlaylistError> {
    uris(text)?
        .into_iter()
        .map(|uri| match rung_file(uri) {
            Some(HlsFile::Init | HlsFile::Segment) => Ok(uri.to_string()),
            _ => Err(PlaylistError(uri.to_string())),
        })
        .collect()
}

/// Replaces every init/segment URI of a rung playlist by `url(name)`; `urls` holds the
/// replacement for each name returned by [`media_names`], in the same order.
pub fn rewrite_media(text: &str, urls: &[String]) -> Result<String, PlaylistError> {
    let names = media_names(text)?;
    if names.len() != urls.len() {
        return Err(PlaylistError(
            "URL count differs from the entry count".into(),
        ));
    }
    let mut urls = urls.iter();
    let mut out = String::with_capacity(text.len() * 2);
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            out.push_str(line);
        } else if let Some(tag) = trimmed.strip_prefix('#') {
            match attribute(tag, "URI") {
                Some(old) => {
                    let new = urls.next().map(String::as_str).unwrap_or_default();
                    out.push_str(&trimmed.replacen(
                        &format!("URI=\"{old}\""),
                        &format!("URI=\"{new}\""),
                        1,
                    ));
                }
                None => out.push_str(line),
            }
        } else {
            out.push_str(urls.next().map(String::as_str).unwrap_or_default());
        }
        out.push('\n');
    }
    Ok(out)
}

/// The quoted value of `NAME="..."` in a tag's attribute list.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let (_, attrs) = tag.split_once(':')?;
    let needle = format!("{name}=\"");
    let mut rest = attrs;
    loop {
        let at = rest.find(&needle)?;
        // Only a whole attribute name (start of the list or after a comma).
        let whole = at == 0 || rest[..at].ends_with(',');
        let after = &rest[at + needle.len()..];
        if whole {
            return after.split_once('"').map(|(v, _)| v);
        }
        rest = after;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RUNG: &str = "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:4\n#EXT-X-MEDIA-SEQUENCE:1\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:4.000000,\nseg_00001.m4s\n#EXTINF:2.500000,\nseg_00002.m4s\n#EXT-X-ENDLIST\n";

    #[test]
    fn names_are_a_closed_set() {
        assert_eq!(parse("master.m3u8"), Some(HlsFile::Master));
        assert_eq!(parse("720p/index.m3u8"), Some(HlsFile::Playlist));
        assert_eq!(parse("1080p/init.mp4"), Some(HlsFile::Init));
        assert_eq!(parse("360p/seg_00001.m4s"), Some(HlsFile::Segment));
        assert_eq!(parse("audio/seg_123456.m4s"), Some(HlsFile::Segment));
        for bad in [
            "",
            "../master.m3u8",
            "720p/../../original",
            "720p/seg_1.m4s",
            "720p/seg_00001.m4s/x",
            "72p/index.m3u8",
            "720/index.m3u8",
            "720p/index.m3u8x",
            "720p/.index.m3u8",
            "720p",
            "master.m3u8/",
            "%2e%2e/original",
            "7a0p/init.mp4",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
        assert_eq!(
            HlsFile::Master.content_type(),
            "application/vnd.apple.mpegurl"
        );
        assert_eq!(HlsFile::Segment.content_type(), "video/mp4");
    }

    #[test]
    fn rung_playlists_are_rewritten_entry_by_entry() {
        assert_eq!(
            media_names(RUNG).unwrap(),
            ["init.mp4", "seg_00001.m4s", "seg_00002.m4s"]
        );
        let urls: Vec<String> = ["https://x/i?a=1&b=2", "https://x/1", "https://x/2"]
            .map(String::from)
            .into();
        let out = rewrite_media(RUNG, &urls).unwrap();
        assert!(
            out.contains("#EXT-X-MAP:URI=\"https://x/i?a=1&b=2\"\n"),
            "{out}"
        );
        assert!(out.contains("#EXTINF:4.000000,\nhttps://x/1\n#EXTINF:2.500000,\nhttps://x/2\n"));
        assert!(out.ends_with("#EXT-X-ENDLIST\n"));
        assert!(!out.contains("seg_0000"));
        assert!(rewrite_media(RUNG, &urls[..2]).is_err());
    }

    #[test]
    fn playlists_pointing_elsewhere_are_refused() {
        for bad in [
            "#EXTM3U\n#EXTINF:4,\n../../originals/x/original\n",
            "#EXTM3U\n#EXT-X-MAP:URI=\"/etc/passwd\"\n",
            "#EXTM3U\n#EXTINF:4,\nhttps://evil.example/seg.m4s\n",
            "not a playlist",
        ] {
            assert!(media_names(bad).is_err(), "{bad}");
        }
        let master = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000,RESOLUTION=640x360,CODECS=\"avc1.64001e,mp4a.40.2\"\n360p/index.m3u8\n";
        check_master(master).unwrap();
        assert!(check_master("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n../x.m3u8\n").is_err());
        assert!(check_master(
            "#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",URI=\"http://evil/x.m3u8\"\n"
        )
        .is_err());
        check_master("#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",URI=\"audio/index.m3u8\"\n")
            .unwrap();
    }
}
