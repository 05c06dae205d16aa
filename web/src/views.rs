//! Template structs (askama auto-escapes every value; no HTML is built with `format!`).
use std::collections::HashMap;

use askama::Template;
use shared::domain::{EmailState, ReviewState, VideoId, VideoState};

use crate::i18n::{request_lang, Lang};

/// What every page's frame needs: the CSRF token for the logout form, who is logged in, the
/// request's language (for `<html lang>`, the messages and the switcher).
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub csrf: String,
    pub user_email: Option<String>,
    pub lang: Lang,
    /// Where the language switcher sends the visitor back to (the current GET page).
    pub back_to: String,
}

impl Layout {
    pub fn new(csrf: String, user_email: Option<String>) -> Self {
        let r = request_lang();
        Self {
            csrf,
            user_email,
            lang: r.lang,
            back_to: r.back_to.unwrap_or_else(|| "/".into()),
        }
    }

    pub fn anonymous() -> Self {
        Self::new(String::new(), None)
    }

    /// The content-hashed URL of a file of `static/` (`"upload.js"`); see [`crate::assets`].
    pub fn static_url(&self, name: &str) -> String {
        crate::assets::url(name)
    }

    /// A catalogue message in the page's language (see [`crate::i18n`]).
    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    /// A catalogue message with its one named argument: `tf("prize", "prize", prize)`.
    pub fn tf(&self, key: &str, name: &'static str, value: impl std::fmt::Display) -> String {
        self.lang.tf(key, name, value)
    }

    /// A message for a script: each named argument left as a `{name}` placeholder that the
    /// script fills in (`data-msg-*` attributes).
    pub fn js_msg(&self, key: &str, names: &[&'static str]) -> String {
        let args = names.iter().fold(shared::i18n::Args::new(), |a, n| {
            a.with(n, format!("{{{n}}}"))
        });
        self.lang.tw(key, &args)
    }

    /// A catalogue message with two named arguments.
    pub fn tf2(
        &self,
        key: &str,
        &(n1, v1): &(&'static str, &str),
        &(n2, v2): &(&'static str, &str),
    ) -> String {
        self.lang
            .tw(key, &shared::i18n::Args::new().with(n1, v1).with(n2, v2))
    }

    /// A video state (`queued`, `processing`, …) in the page's language.
    pub fn state_label(&self, state: &VideoState) -> String {
        self.lang.t(&format!("vstate.{state}"))
    }

    /// The switcher's entries: (code, native name, is current).
    pub fn languages(&self) -> Vec<(&'static str, &'static str, bool)> {
        Lang::ALL
            .iter()
            .map(|l| (l.code(), l.native_name(), *l == self.lang))
            .collect()
    }
}

/// Submitted form values and per-field messages, re-shown after an error.
#[derive(Debug, Clone, Default)]
pub struct Form {
    pub values: HashMap<String, String>,
    pub errors: HashMap<String, String>,
}

impl Form {
    pub fn value(&self, k: &str) -> &str {
        self.values.get(k).map(String::as_str).unwrap_or("")
    }
    pub fn error(&self, k: &str) -> &str {
        self.errors.get(k).map(String::as_str).unwrap_or("")
    }
    pub fn has_error(&self, k: &str) -> bool {
        self.errors.contains_key(k)
    }
    pub fn set_error(&mut self, k: &str, m: impl Into<String>) {
        self.errors.insert(k.to_string(), m.into());
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage<'a> {
    pub layout: Layout,
    pub status: u16,
    pub message: &'a str,
}

pub struct ContestCard {
    pub slug: String,
    pub name: String,
    pub prize: String,
    pub when: When,
    pub banner_url: Option<String>,
}

/// A contest's window as public pages show it: in the contest's time zone, machine-readable
/// (`<time datetime>`), and relative to now ("Closes in 3 days").
pub struct When {
    pub starts: String,
    pub ends: String,
    pub starts_iso: String,
    pub ends_iso: String,
    /// The moment the relative text is about (the start while upcoming, else the end).
    pub relative_iso: String,
    pub relative: String,
    pub zone: &'static str,
}

impl When {
    pub fn of(c: &shared::db::Contest, now: i64) -> Self {
        use shared::time::{iso, Span};
        let zone = c.zone();
        let (verb, at) = if now < c.starts_at {
            ("opens", c.starts_at)
        } else if now < c.ends_at {
            ("closes", c.ends_at)
        } else {
            ("closed", c.ends_at)
        };
        let (unit, n) = Span::between(now, at).unit_and_count();
        Self {
            starts: zone.display(c.starts_at),
            ends: zone.display(c.ends_at),
            starts_iso: iso(c.starts_at),
            ends_iso: iso(c.ends_at),
            relative_iso: iso(at),
            relative: Lang::current().tf(&format!("rel.{verb}_{unit}"), "n", n),
            zone: zone.name(),
        }
    }
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub layout: Layout,
    pub open: Vec<ContestCard>,
    pub upcoming: Vec<ContestCard>,
    pub past: Vec<ContestCard>,
}

#[derive(Template)]
#[template(path = "auth/form.html")]
pub struct AuthPage {
    pub layout: Layout,
    pub register: bool,
    pub form: Form,
    pub min_password: usize,
}

pub struct DashboardRow {
    pub slug: String,
    pub name: String,
    pub dates: String,
    /// Converted entries waiting for the organizer's review.
    pub awaiting_review: i64,
    pub queued: i64,
    pub processing: i64,
    pub converted: i64,
    pub failed: i64,
    pub hidden: i64,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
pub struct DashboardPage {
    pub layout: Layout,
    pub rows: Vec<DashboardRow>,
    /// Entries awaiting review, the longest waiting first.
    pub queue: Vec<ReviewRow>,
    /// Contests this user judges: (slug, name).
    pub judging: Vec<(String, String)>,
}

/// An entry in the dashboard's review queue.
pub struct ReviewRow {
    pub id: VideoId,
    pub title: String,
    pub author: String,
    pub email: String,
    /// When it finished converting, in its contest's zone.
    pub converted: String,
    pub contest_slug: String,
    pub contest_name: String,
}

impl ContestFormPage {
    /// The form's fields in page order with their label keys: the error summary lists the
    /// invalid ones in this order.
    pub fn error_fields(&self) -> [(&'static str, &'static str); 11] {
        [
            ("name", "cform.name"),
            ("slug", "cform.slug"),
            ("prize", "cform.prize"),
            ("description", "cform.description"),
            ("time_zone", "cform.time_zone"),
            ("starts_at", "cform.starts"),
            ("ends_at", "cform.ends"),
            ("entries_per_email", "cform.entries_per_email"),
            ("terms", "cform.terms"),
            ("banner", "cform.banner_label"),
            ("form", "cform.form"),
        ]
    }
}

#[derive(Template)]
#[template(path = "contests/form.html")]
pub struct ContestFormPage {
    pub layout: Layout,
    /// `None` when creating; the current slug when editing.
    pub editing: Option<String>,
    pub form: Form,
    pub banner_url: Option<String>,
    pub max_banner_mb: u64,
    /// IANA zone names for the time zone field's suggestions.
    pub zones: Vec<&'static str>,
    /// The least minutes between two digests of new entries (`digest.interval_secs`, rounded
    /// up); 0: digests are off on this site.
    pub digest_minutes: u64,
}

pub struct VideoCard {
    pub id: VideoId,
    pub title: String,
    pub author: String,
    pub poster_url: Option<String>,
}

pub struct PlayingVideo {
    pub id: VideoId,
    pub title: String,
    pub author: String,
    pub description: String,
    pub mp4_url: String,
    pub poster_url: String,
    pub hls_url: Option<String>,
    pub captions: Option<CaptionTrack>,
}

/// The participant's subtitles as a `<track>`: same-origin URL, language code and its name.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CaptionTrack {
    pub url: String,
    pub lang: String,
    pub label: String,
}

pub struct OrganizerVideo {
    pub id: VideoId,
    pub title: String,
    pub author: String,
    pub email: String,
    pub state: VideoState,
    pub progress: i64,
    pub error: String,
    pub hidden: bool,
    pub can_retry: bool,
    /// Converted and not hidden: on the public page.
    pub published: bool,
    /// When it was sent, for people (`display`) and machines (RFC 3339).
    pub date: String,
    pub date_iso: String,
    /// `m:ss` (or `h:mm:ss`), empty when unknown.
    pub duration: String,
    /// When the participant accepted the terms (in the contest's zone), empty if not asked.
    pub terms_accepted: String,
    /// `pending`, `approved` or `rejected`.
    pub review: ReviewState,
    /// The organizer's message with a rejection.
    pub review_message: String,
    /// Converted and waiting for the organizer's decision.
    pub awaiting_review: bool,
    /// The subtitles' language name, empty when the participant sent none.
    pub captions: String,
}

/// `m:ss`, or `h:mm:ss` from an hour on.
pub fn clock(ms: Option<i64>) -> String {
    let Some(ms) = ms.filter(|m| *m >= 0) else {
        return String::new();
    };
    let s = ms / 1000;
    let (h, m, s) = (s / 3600, (s % 3600) / 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

#[derive(Template)]
#[template(path = "contests/show.html")]
pub struct ContestPage {
    pub layout: Layout,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub prize: String,
    pub when: When,
    pub banner_url: Option<String>,
    /// Terms participants accept on the entry form (empty: none).
    pub terms: String,
    /// `open`, `upcoming` or `closed`.
    pub status: &'static str,
    pub is_owner: bool,
    pub playing: Option<PlayingVideo>,
    pub videos: Vec<VideoCard>,
    pub page: i64,
    pub pages: i64,
    pub organizer_videos: Vec<OrganizerVideo>,
    /// Mails of this contest that did not go out (organizer only).
    pub undelivered: Vec<UndeliveredMail>,
    pub meta: PageMeta,
    pub form: Form,
    pub max_upload_mb: u64,
    /// `upload.captions_max_bytes` in KB, for the subtitles field's label.
    pub captions_max_kb: u64,
    /// Published winners (empty until the organizer publishes).
    pub winners: Vec<WinnerCard>,
    /// The public vote (`None`: this contest has none).
    pub voting: Option<VotingPanel>,
    /// The grid is sorted by votes (`?sort=votes`, once counts are public).
    pub by_votes: bool,
    /// Just created (`?created=1`, organizer only): the public link to copy.
    pub created_link: Option<String>,
}

/// What a shared link shows (Open Graph / Twitter cards), the canonical URL and the meta
/// description of a public page (`templates/meta.html`). URLs are absolute (`base_url`).
pub struct PageMeta {
    pub title: String,
    pub description: String,
    /// The canonical URL of the page.
    pub url: String,
    /// A stable site URL that redirects to the current image (signed media URLs expire).
    pub image: Option<String>,
    /// `website` or `video.other`.
    pub kind: &'static str,
    /// Pages that are reachable by link but must not be indexed (hidden or unconverted videos).
    pub noindex: bool,
}

impl PageMeta {
    /// A one-line description of at most ~160 characters from free text (cut at a word).
    pub fn describe(text: &str, fallback: &str) -> String {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let flat = if flat.is_empty() {
            fallback.to_string()
        } else {
            flat
        };
        if flat.chars().count() <= 160 {
            return flat;
        }
        let cut: String = flat.chars().take(157).collect();
        let cut = match cut.rfind(' ') {
            Some(i) if i > 100 => cut[..i].to_string(),
            _ => cut,
        };
        format!("{cut}…")
    }
}

/// A mail that was refused or skipped, as the organizer sees it.
pub struct UndeliveredMail {
    pub video_title: String,
    pub recipient: String,
    pub subject: String,
    /// `Failed` or `Skipped`
    pub state: EmailState,
    pub reason: String,
    pub at: String,
}

impl UndeliveredMail {
    pub fn state_key(&self) -> &'static str {
        if self.state == EmailState::Skipped {
            "mstate.skipped"
        } else {
            "mstate.failed"
        }
    }
}

#[derive(Template)]
#[template(path = "videos/show.html")]
pub struct VideoPage {
    pub layout: Layout,
    pub slug: String,
    pub contest_name: String,
    pub id: VideoId,
    pub title: String,
    pub author: String,
    pub description: String,
    pub state: VideoState,
    pub progress: i64,
    pub error: String,
    pub mp4_url: Option<String>,
    pub poster_url: Option<String>,
    pub hls_url: Option<String>,
    pub captions: Option<CaptionTrack>,
    pub hidden: bool,
    pub meta: PageMeta,
    /// The participant's email, shown only to the browser session that uploaded the video (a
    /// typo is visible at once; anyone else with the link never sees it).
    pub uploader_email: Option<String>,
    /// Videos waiting or converting that were uploaded before this one (while it waits).
    pub queue_ahead: Option<i64>,
    /// Converted but not public because of the review: `Pending` or `Rejected` (visitors see
    /// a notice instead of the player).
    pub review_notice: Option<ReviewState>,
    /// The contest reviews entries before they are public.
    pub contest_reviews: bool,
}

/// `GET /c/{slug}/voters/confirm`: the button the voting link opens.
#[derive(Template)]
#[template(path = "contests/voter_confirm.html")]
pub struct VoterConfirmPage {
    pub layout: Layout,
    pub slug: String,
    pub contest_name: String,
    /// Empty when the link's token is malformed (the page then says so).
    pub token: String,
}

/// `GET /c/{slug}/voting`: the organizer's public vote settings.
#[derive(Template)]
#[template(path = "contests/voting_settings.html")]
pub struct VotingSettingsPage {
    pub layout: Layout,
    pub slug: String,
    pub contest_name: String,
    /// The contest's time zone: the dates are entered in it.
    pub zone: &'static str,
    pub form: Form,
    pub saved: bool,
    pub max_per_voter: u32,
}

impl ContestPage {
    /// The subtitles languages offered (code, the language's own name).
    pub fn caption_langs(&self) -> &'static [(&'static str, &'static str)] {
        &shared::media::captions::LANGUAGES
    }

    /// The subtitles language selected in the form: the one sent, else the page's language.
    pub fn caption_lang_selected(&self) -> &str {
        match self.form.value("captions_lang") {
            "" => self.layout.lang.code(),
            v => v,
        }
    }

    /// Where a vote button sends the browser back to: this page of the grid, at the entry.
    pub fn back_for(&self, id: &VideoId) -> String {
        let mut q = Vec::new();
        if self.page > 1 {
            q.push(format!("page={}", self.page));
        }
        if self.by_votes {
            q.push("sort=votes".to_string());
        }
        let query = if q.is_empty() {
            String::new()
        } else {
            format!("?{}", q.join("&"))
        };
        format!("/c/{}{query}#v-{id}", self.slug)
    }

    /// The query suffix that keeps the grid's order in page links (`&sort=votes`).
    pub fn sort_param(&self) -> &'static str {
        if self.by_votes {
            "&sort=votes"
        } else {
            ""
        }
    }

    /// Page links around the current one (at most 9).
    pub fn page_numbers(&self) -> Vec<i64> {
        let start = (self.page - 4).max(1);
        let end = (start + 8).min(self.pages);
        (start..=end).collect()
    }
}

/// What the contest page shows of the vote.
pub struct VotingPanel {
    /// `upcoming`, `open` or `ended`.
    pub phase: &'static str,
    pub starts: String,
    pub ends: String,
    pub per_voter: i64,
    /// The confirmed voter of this session.
    pub voter_email: Option<String>,
    /// Entries this voter voted for.
    pub mine: Vec<VideoId>,
    /// Votes per entry, when counts are public.
    pub counts: Option<HashMap<VideoId, i64>>,
    /// A link was just asked for (`?vote=sent`).
    pub link_sent: bool,
    /// Entries sent with the voter's address (no vote button).
    pub own: Vec<VideoId>,
}

impl VotingPanel {
    pub fn voted(&self, id: &VideoId) -> bool {
        self.mine.contains(id)
    }

    pub fn is_own(&self, id: &VideoId) -> bool {
        self.own.contains(id)
    }

    pub fn votes_left(&self) -> i64 {
        (self.per_voter - self.mine.len() as i64).max(0)
    }

    /// Whether this session can vote now.
    pub fn can_vote(&self) -> bool {
        self.phase == "open" && self.voter_email.is_some()
    }

    pub fn count(&self, id: &VideoId) -> Option<i64> {
        self.counts
            .as_ref()
            .map(|c| c.get(id).copied().unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::PageMeta;

    #[test]
    fn descriptions_are_one_line_and_short() {
        assert_eq!(PageMeta::describe("  a\n\n b ", "x"), "a b");
        assert_eq!(PageMeta::describe(" \n", "fallback"), "fallback");
        let long = "word ".repeat(80);
        let d = PageMeta::describe(&long, "x");
        assert!(d.chars().count() <= 158, "{d}");
        assert!(d.ends_with("word…"), "{d}");
        let unbroken = "x".repeat(300);
        assert_eq!(PageMeta::describe(&unbroken, "").chars().count(), 158);
    }
}

/// One entry in the jury's ranking.
pub struct RankRow {
    pub rank: usize,
    pub id: String,
    pub title: String,
    pub author: String,
    /// Average per criterion (rubric order), one decimal, `–` when nobody scored it.
    pub averages: Vec<String>,
    pub jury_value: Option<f64>,
    pub jury: String,
    /// Judges who scored every criterion of it.
    pub judges_done: usize,
    pub votes: i64,
    pub points: f64,
    pub points_text: String,
}

/// A judge's comment on an entry.
pub struct JuryComment {
    pub title: String,
    pub judge: String,
    pub comment: String,
}

/// A judge and how many entries they scored completely.
pub struct JudgeProgress {
    pub id: String,
    pub email: String,
    pub accepted: bool,
    /// Invited, not accepted, and the link expired.
    pub expired: bool,
    pub done: usize,
}

/// The jury's standing of a contest: rubric, ranking (best first), judges' completion.
pub struct Standing {
    pub criteria: Vec<shared::db::Criterion>,
    pub rows: Vec<RankRow>,
    /// The judges' comments on the ranked entries, in ranking order.
    pub comments: Vec<JuryComment>,
    pub judges: Vec<JudgeProgress>,
    /// Entries the jury scores (converted, approved, not hidden).
    pub entries: usize,
    pub jury_weight: i64,
    pub closed: bool,
}

#[derive(Template)]
#[template(path = "jury/manage.html")]
pub struct JuryManagePage {
    pub layout: Layout,
    pub slug: String,
    pub name: String,
    pub standing: Standing,
    /// The rubric form (`name_N`, `description_N`, `weight_N`, `jury_weight`).
    pub rubric: Form,
    /// The invite form (`email`).
    pub invite: Form,
    /// 1..=6, the rubric's rows.
    pub slots: Vec<usize>,
    pub invite_days: u64,
}

impl JuryManagePage {
    pub fn rv(&self, field: &str, n: &usize) -> String {
        self.rubric.value(&format!("{field}_{n}")).to_string()
    }
    pub fn re(&self, field: &str, n: &usize) -> String {
        self.rubric.error(&format!("{field}_{n}")).to_string()
    }
}

#[derive(Template)]
#[template(path = "jury/list.html")]
pub struct JuryListPage {
    pub layout: Layout,
    /// (slug, name, judging closed)
    pub contests: Vec<(String, String, bool)>,
}

pub struct JudgeEntry {
    pub id: VideoId,
    pub title: String,
    pub author: String,
    /// This judge scored every criterion.
    pub done: bool,
}

#[derive(Template)]
#[template(path = "jury/judge.html")]
pub struct JudgePage {
    pub layout: Layout,
    pub slug: String,
    pub name: String,
    pub entries: Vec<JudgeEntry>,
    pub done: usize,
    pub has_rubric: bool,
    pub closed: bool,
    /// Everyone's scores, once judging is closed.
    pub standing: Option<Standing>,
}

pub struct ScoreCriterion {
    pub id: String,
    /// The form field: `score_{id}`.
    pub field: String,
    pub name: String,
    pub description: String,
}

#[derive(Template)]
#[template(path = "jury/score.html")]
pub struct ScorePage {
    pub layout: Layout,
    pub slug: String,
    pub contest_name: String,
    pub id: VideoId,
    pub title: String,
    pub author: String,
    pub description: String,
    pub mp4_url: Option<String>,
    pub poster_url: Option<String>,
    pub criteria: Vec<ScoreCriterion>,
    pub closed: bool,
    pub form: Form,
}

impl ScorePage {
    /// Whether `score` is the chosen value for the criterion's field.
    pub fn chosen(&self, field: &str, score: &u8) -> bool {
        self.form.value(field) == score.to_string()
    }
}

#[derive(Template)]
#[template(path = "jury/invite.html")]
pub struct InvitePage {
    pub layout: Layout,
    /// The link was used, expired or never existed.
    pub gone: bool,
    pub contest_name: String,
    pub email: String,
    /// The address has an account: the judge logs in with it instead of choosing a password.
    pub has_account: bool,
    pub form: Form,
    pub min_password: usize,
}

/// A published winner.
pub struct WinnerCard {
    /// 1, 2 or 3; `None`: an honorable mention.
    pub place: Option<i64>,
    pub id: VideoId,
    pub title: String,
    pub author: String,
    pub poster_url: Option<String>,
}

impl WinnerCard {
    /// The catalogue key of its award.
    pub fn award_key(&self) -> &'static str {
        match self.place {
            Some(1) => "results.first",
            Some(2) => "results.second",
            Some(3) => "results.third",
            _ => "results.mention",
        }
    }
}

#[derive(Template)]
#[template(path = "results/public.html")]
pub struct ResultsPage {
    pub layout: Layout,
    pub slug: String,
    pub name: String,
    pub prize: String,
    pub winners: Vec<WinnerCard>,
    pub meta: PageMeta,
}

#[derive(Template)]
#[template(path = "results/winners.html")]
pub struct WinnersPage {
    pub layout: Layout,
    pub slug: String,
    pub name: String,
    pub published: bool,
    /// The ranking, as a suggestion.
    pub standing: Standing,
    /// `place_1..3` (entry ids), `mention_{id}` = 1.
    pub form: Form,
}

impl WinnersPage {
    pub fn is_place(&self, place: &i64, id: &str) -> bool {
        self.form.value(&format!("place_{place}")) == id
    }
    pub fn is_mention(&self, id: &str) -> bool {
        self.form.value(&format!("mention_{id}")) == "1"
    }
}
