//! Participants' subtitles: a WebVTT or SRT file sent with the upload becomes a clean WebVTT
//! file, or a [`Rejection`] that says what is wrong (with the line). The file is parsed as
//! text here and written again from its cues, so nothing of it reaches a browser or a program
//! unchecked: no STYLE or REGION blocks, no cue settings outside a short list, and in cue text
//! only `<b>`, `<i>` and `<u>`; every other tag is dropped and `&`, `<` and `>` are escaped.
//! ffmpeg never sees the file.
use std::fmt::Write as _;

use super::validate::Rejection;

/// The limits a subtitles file is checked against (settings `upload.captions_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaptionLimits {
    pub max_bytes: u64,
    pub max_cues: usize,
    pub max_cue_chars: usize,
}

/// Languages a subtitles file may be labelled with: the code (the track's `srclang`) and the
/// language's own name (its label in every page language).
pub const LANGUAGES: [(&str, &str); 18] = [
    ("en", "English"),
    ("es", "Español"),
    ("ca", "Català"),
    ("eu", "Euskara"),
    ("gl", "Galego"),
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("it", "Italiano"),
    ("pt", "Português"),
    ("nl", "Nederlands"),
    ("pl", "Polski"),
    ("ru", "Русский"),
    ("uk", "Українська"),
    ("ar", "العربية"),
    ("hi", "हिन्दी"),
    ("ja", "日本語"),
    ("ko", "한국어"),
    ("zh", "中文"),
];

/// The label of a language code from [`LANGUAGES`].
pub fn language_name(code: &str) -> Option<&'static str> {
    LANGUAGES.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

/// A subtitles file bigger than `max` bytes. Refusals are [`Rejection`]s, like a video's:
/// a catalogue code (`captions.bad_timing`) with its named arguments (`line`, `max`).
pub fn too_big(max: u64) -> Rejection {
    Rejection::new("captions.too_big").with("max_kb", max.div_ceil(1024))
}

/// One cue: times in milliseconds, settings already filtered, text already cleaned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cue {
    pub start_ms: u64,
    pub end_ms: u64,
    pub settings: String,
    pub text: String,
}

/// Longest cue end accepted (24 hours; no video we take is that long).
const MAX_TIME_MS: u64 = 24 * 3600 * 1000;

/// Checks `bytes` as WebVTT (it starts with `WEBVTT`) or SRT and returns the cues.
pub fn parse(bytes: &[u8], limits: &CaptionLimits) -> Result<Vec<Cue>, Rejection> {
    if bytes.len() as u64 > limits.max_bytes {
        return Err(too_big(limits.max_bytes));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| Rejection::new("captions.not_text"))?;
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(Rejection::new("captions.not_text"));
    }
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = text.lines().collect();
    let vtt = lines.first().is_some_and(|l| {
        l.strip_prefix("WEBVTT")
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
    });
    let cues = blocks(&lines, vtt, limits)?;
    if cues.is_empty() {
        return Err(Rejection::new("captions.no_cues"));
    }
    Ok(cues)
}

/// The cues as a WebVTT file.
pub fn to_vtt(cues: &[Cue]) -> String {
    let mut out = String::from("WEBVTT\n");
    for c in cues {
        out.push('\n');
        let _ = write!(out, "{} --> {}", stamp(c.start_ms), stamp(c.end_ms));
        if !c.settings.is_empty() {
            out.push(' ');
            out.push_str(&c.settings);
        }
        out.push('\n');
        out.push_str(&c.text);
        out.push('\n');
    }
    out
}

/// [`parse`] then [`to_vtt`].
pub fn clean(bytes: &[u8], limits: &CaptionLimits) -> Result<String, Rejection> {
    parse(bytes, limits).map(|c| to_vtt(&c))
}

fn stamp(ms: u64) -> String {
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

/// Splits into blank-line separated blocks and reads each one's cue.
fn blocks(lines: &[&str], vtt: bool, limits: &CaptionLimits) -> Result<Vec<Cue>, Rejection> {
    let mut cues = Vec::new();
    let mut i = 0;
    // The WebVTT header block (the WEBVTT line and any header lines after it) is not a cue.
    if vtt {
        while i < lines.len() && !lines[i].trim().is_empty() {
            i += 1;
        }
    }
    while i < lines.len() {
        if lines[i].trim().is_empty() {
            i += 1;
            continue;
        }
        let start = i;
        while i < lines.len() && !lines[i].trim().is_empty() {
            i += 1;
        }
        let block = &lines[start..i];
        if vtt {
            let first = block[0].trim_start();
            if ["NOTE", "STYLE", "REGION"].iter().any(|k| {
                first == *k
                    || first.starts_with(&format!("{k} "))
                    || first.starts_with(&format!("{k}\t"))
            }) {
                continue;
            }
        }
        // An identifier (a WebVTT cue id or an SRT counter) may come before the timing line.
        let timing_at = if block[0].contains("-->") { 0 } else { 1 };
        let line_no = start + timing_at + 1;
        let Some(timing) = block.get(timing_at) else {
            return Err(Rejection::new("captions.bad_block").with("line", start + 1));
        };
        if !timing.contains("-->") {
            return Err(Rejection::new("captions.bad_block").with("line", start + 1));
        }
        let (start_ms, end_ms, settings) = timing_line(timing, vtt)
            .ok_or_else(|| Rejection::new("captions.bad_timing").with("line", line_no))?;
        if end_ms <= start_ms || end_ms > MAX_TIME_MS {
            return Err(Rejection::new("captions.bad_timing").with("line", line_no));
        }
        let text = cue_text(&block[timing_at + 1..]);
        if text.chars().count() > limits.max_cue_chars {
            return Err(Rejection::new("captions.cue_too_long")
                .with("line", line_no)
                .with("max", limits.max_cue_chars));
        }
        if text.is_empty() {
            continue;
        }
        if cues.len() == limits.max_cues {
            return Err(Rejection::new("captions.too_many_cues").with("max", limits.max_cues));
        }
        cues.push(Cue {
            start_ms,
            end_ms,
            settings,
            text,
        });
    }
    Ok(cues)
}

/// `00:01:02.500 --> 00:01:04.000 align:start` (WebVTT) or `00:01:02,500 --> 00:01:04,000`
/// (SRT, where anything after the end time, like `X1:` coordinates, is dropped).
fn timing_line(line: &str, vtt: bool) -> Option<(u64, u64, String)> {
    let (a, b) = line.split_once("-->")?;
    let mut rest = b.split_whitespace();
    let start = timestamp(a.trim(), vtt)?;
    let end = timestamp(rest.next()?, vtt)?;
    let settings = if vtt {
        rest.filter(|s| setting_ok(s)).collect::<Vec<_>>().join(" ")
    } else {
        String::new()
    };
    Some((start, end, settings))
}

/// Only the layout settings, with plain values (no region references).
fn setting_ok(s: &str) -> bool {
    let Some((k, v)) = s.split_once(':') else {
        return false;
    };
    ["align", "line", "position", "size", "vertical"].contains(&k)
        && !v.is_empty()
        && v.len() <= 16
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '%' | '.' | ',' | '-'))
}

/// `hh:mm:ss.ttt` or `mm:ss.ttt` (WebVTT, `.`), `hh:mm:ss,ttt` (SRT, `,` or `.`).
fn timestamp(s: &str, vtt: bool) -> Option<u64> {
    let (hms, frac) = if vtt {
        s.split_once('.')?
    } else {
        s.split_once([',', '.'])?
    };
    if frac.len() != 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let parts: Vec<&str> = hms.split(':').collect();
    let num = |p: &str, max_len: usize| -> Option<u64> {
        (!p.is_empty() && p.len() <= max_len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let (h, m, sec) = match parts.as_slice() {
        [m, s] if vtt => (0, num(m, 2)?, num(s, 2)?),
        [h, m, s] => (num(h, 3)?, num(m, 2)?, num(s, 2)?),
        _ => return None,
    };
    if m > 59 || sec > 59 {
        return None;
    }
    Some(((h * 60 + m) * 60 + sec) * 1000 + frac.parse::<u64>().ok()?)
}

/// The cue's lines with tags other than b, i and u dropped, entities read, and `&`, `<`, `>`
/// escaped again; `-->` (which would end the cue early) becomes an arrow.
fn cue_text(lines: &[&str]) -> String {
    lines
        .iter()
        .map(|l| clean_line(l))
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn clean_line(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(open) = rest.find('<') {
        out.push_str(&escape(&decode(&rest[..open])));
        let after = &rest[open..];
        match after.find('>') {
            Some(close) => {
                let tag = after[1..close].trim().to_ascii_lowercase();
                if matches!(tag.as_str(), "b" | "i" | "u" | "/b" | "/i" | "/u") {
                    out.push('<');
                    out.push_str(&tag);
                    out.push('>');
                }
                rest = &after[close + 1..];
            }
            None => {
                // A lone `<` is text.
                out.push_str("&lt;");
                rest = &after[1..];
            }
        }
    }
    out.push_str(&escape(&decode(rest)));
    out.replace("--&gt;", "→").trim_end().to_string()
}

/// The entities WebVTT and SRT files use.
fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&lrm;", "\u{200e}")
        .replace("&rlm;", "\u{200f}")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Args;

    const LIMITS: CaptionLimits = CaptionLimits {
        max_bytes: 4096,
        max_cues: 3,
        max_cue_chars: 40,
    };

    fn code(r: Result<Vec<Cue>, Rejection>) -> (&'static str, Option<String>) {
        let e = r.unwrap_err();
        (e.code, e.args.get("line").map(str::to_string))
    }

    #[test]
    fn srt_becomes_webvtt() {
        let srt = "\u{feff}1\r\n00:00:01,000 --> 00:00:02,500 X1:10 X2:20\r\n<font color=\"red\">Hello</font> <i>there</i>\r\n\r\n2\r\n01:00:00,000 --> 01:00:01,000\r\nFish & chips\r\n";
        assert_eq!(
            clean(srt.as_bytes(), &LIMITS).unwrap(),
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.500\nHello <i>there</i>\n\n01:00:00.000 --> 01:00:01.000\nFish &amp; chips\n"
        );
    }

    #[test]
    fn webvtt_is_written_again_without_style_notes_or_unknown_tags() {
        let vtt = "WEBVTT - a title\nKind: captions\n\nSTYLE\n::cue { color: red }\n\nNOTE a note\n\nintro\n00:01.000 --> 00:02.000 align:start region:r1 position:10%\n<v Ana>Hi &amp; <script>alert(1)</script>\n<c.yellow>bye</c> --> x\n";
        assert_eq!(
            clean(vtt.as_bytes(), &LIMITS).unwrap(),
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000 align:start position:10%\nHi &amp; alert(1)\nbye → x\n"
        );
    }

    #[test]
    fn refusals_say_why_and_where() {
        assert_eq!(
            code(parse(b"\xff\xfe\x00W", &LIMITS)).0,
            "captions.not_text"
        );
        assert_eq!(
            code(parse(b"WEBVTT\n\nhi\0", &LIMITS)).0,
            "captions.not_text"
        );
        assert_eq!(
            code(parse(b"just some words\n", &LIMITS)),
            ("captions.bad_block", Some("1".into()))
        );
        assert_eq!(code(parse(b"WEBVTT\n", &LIMITS)).0, "captions.no_cues");
        assert_eq!(code(parse(b"", &LIMITS)).0, "captions.no_cues");
        assert_eq!(
            code(parse(
                b"WEBVTT\n\n00:02.000 --> 00:01.000\nbackwards\n",
                &LIMITS
            )),
            ("captions.bad_timing", Some("3".into()))
        );
        assert_eq!(
            code(parse(b"1\n00:00:01,000 --> 00:00:0x,000\nx\n", &LIMITS)),
            ("captions.bad_timing", Some("2".into()))
        );
        // SRT's comma is not WebVTT.
        assert_eq!(
            code(parse(
                b"WEBVTT\n\n00:00:01,000 --> 00:00:02,000\nx\n",
                &LIMITS
            ))
            .0,
            "captions.bad_timing"
        );
        assert_eq!(
            code(parse(b"WEBVTT\n\n00:61.000 --> 01:02.000\nx\n", &LIMITS)).0,
            "captions.bad_timing"
        );
        let long = format!("WEBVTT\n\n00:01.000 --> 00:02.000\n{}\n", "a".repeat(41));
        assert_eq!(
            code(parse(long.as_bytes(), &LIMITS)).0,
            "captions.cue_too_long"
        );
        let many = "WEBVTT\n\n00:01.000 --> 00:02.000\na\n\n00:02.000 --> 00:03.000\nb\n\n00:03.000 --> 00:04.000\nc\n\n00:04.000 --> 00:05.000\nd\n";
        assert_eq!(
            code(parse(many.as_bytes(), &LIMITS)).0,
            "captions.too_many_cues"
        );
        let big = vec![b'a'; 4097];
        assert_eq!(code(parse(&big, &LIMITS)).0, "captions.too_big");
    }

    #[test]
    fn every_refusal_has_a_sentence_in_both_languages() {
        for code in [
            "captions.not_text",
            "captions.no_cues",
            "captions.bad_block",
            "captions.bad_timing",
            "captions.cue_too_long",
            "captions.too_many_cues",
            "captions.too_big",
            "captions.bad_lang",
        ] {
            let args = Args::new().with("line", 3).with("max", 5).with("max_kb", 2);
            for lang in crate::i18n::LANGS {
                let s = crate::i18n::text_with(lang, code, &args);
                assert_ne!(s, code, "{code} in {lang}");
            }
        }
        assert!(too_big(512 * 1024).message("en").contains("512"));
    }
}
