//! `spawn_app()` with a temp data folder and SQLite DB, a cookie-keeping client with redirects off,
//! typed helpers, and media generated at test time with ffmpeg's lavfi sources.
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use reqwest::multipart::{Form, Part};
use reqwest::{Client, Response, StatusCode};
use web::startup::Application;
use worker::{Pipeline, Step, Worker};

pub struct TestApp {
    pub address: String,
    pub client: Client,
    pub data: tempfile::TempDir,
    pub worker: Worker,
    pub backends: shared::backends::Backends,
    pub settings: std::sync::Arc<shared::Settings>,
    /// Unique per app, so mail in a shared emulator can be told apart.
    pub base_url: String,
    aws: Option<crate::aws::AwsEnv>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(env) = self.aws.take() {
            env.cleanup();
        }
    }
}

pub type Overrides = Vec<(&'static str, String)>;

pub async fn spawn_app() -> TestApp {
    spawn_app_with(vec![]).await
}

pub async fn spawn_app_with(overrides: Overrides) -> TestApp {
    shared::telemetry::init_for_tests();
    let data = tempfile::tempdir().expect("temp dir");
    let dir = data.path().to_path_buf();
    let base_url = format!(
        "http://contests-{}.test",
        &shared::domain::new_id().simple().to_string()[20..]
    );
    let (aws, mut overrides) = match crate::aws::enabled() {
        true => {
            let (env, mut aws_overrides) = crate::aws::AwsEnv::create().await;
            aws_overrides.extend(overrides);
            (Some(env), aws_overrides)
        }
        false => (None, overrides),
    };
    overrides.insert(0, ("base_url", base_url.clone()));
    // Every test client is 127.0.0.1 and most entries use one participant email: the abuse limits
    // are lifted here and set low by the tests that attack them (`security.rs`).
    for (k, v) in [
        ("limits.uploads_per_address", "10000"),
        ("limits.default_entries_per_email", "100"),
        ("limits.mails_per_recipient_per_day", "10000"),
        ("limits.concurrent_uploads_per_address", "16"),
        // One mail per video (the "ready" one) unless a test turns receipts on (`mail.rs`).
        ("upload.receipt_email", "false"),
    ] {
        overrides.insert(0, (k, v.to_string()));
    }
    let settings = shared::Settings::load_with(move |b| {
        let mut b = b
            .set_override("listen", "127.0.0.1:0")
            .unwrap()
            .set_override("data_dir", dir.to_string_lossy().to_string())
            .unwrap()
            .set_override("embedded_worker", false)
            .unwrap()
            .set_override("worker.retry_base_secs", 0)
            .unwrap()
            .set_override("worker.max_attempts", 2)
            .unwrap();
        for (k, v) in overrides {
            b = b.set_override(k, v).unwrap();
        }
        b
    })
    .expect("settings");
    let app = Application::build(settings).await.expect("app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let backends = app.backends().clone();
    let settings = app.settings().clone();
    let worker = Worker::new(Pipeline::new(backends.clone(), settings.clone()));
    let settings = settings.clone();
    tokio::spawn(app.run_until_stopped());
    let client = Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    TestApp {
        address,
        client,
        data,
        worker,
        backends,
        settings,
        base_url,
        aws,
    }
}

/// Values of a participant's upload form.
pub struct Entry<'a> {
    pub title: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub email: &'a str,
    pub description: &'a str,
}

impl<'a> Entry<'a> {
    pub fn titled(title: &'a str) -> Self {
        Self {
            title,
            first_name: "Ana",
            last_name: "García",
            email: "ana@example.org",
            description: "My first film",
        }
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    /// GET with an `Accept-Language` header (the page language it asks for).
    pub async fn get_as(&self, path: &str, accept_language: &str) -> Response {
        self.client
            .get(self.url(path))
            .header("Accept-Language", accept_language)
            .send()
            .await
            .expect("request")
    }

    pub async fn get_html(&self, path: &str) -> String {
        self.get(path).await.text().await.unwrap()
    }

    /// The CSRF token embedded in a page (and the session cookie that goes with it).
    pub async fn csrf(&self, path: &str) -> String {
        let html = self.get_html(path).await;
        extract_csrf(&html).unwrap_or_else(|| panic!("no csrf token on {path}"))
    }

    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.client
            .post(self.url(path))
            .form(fields)
            .send()
            .await
            .expect("request")
    }

    pub async fn register(&self, email: &str, password: &str) -> Response {
        let csrf = self.csrf("/register").await;
        self.post_form(
            "/register",
            &[
                ("csrf_token", &csrf),
                ("email", email),
                ("password", password),
            ],
        )
        .await
    }

    pub async fn login(&self, email: &str, password: &str) -> Response {
        let csrf = self.csrf("/login").await;
        self.post_form(
            "/login",
            &[
                ("csrf_token", &csrf),
                ("email", email),
                ("password", password),
            ],
        )
        .await
    }

    pub async fn logout(&self) {
        let csrf = self.csrf("/").await;
        let r = self.post_form("/logout", &[("csrf_token", &csrf)]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }

    /// Registers (logged in afterwards) an organizer.
    pub async fn organizer(&self, email: &str) {
        let r = self.register(email, "a long enough password").await;
        assert_eq!(
            r.status(),
            StatusCode::SEE_OTHER,
            "{}",
            r.text().await.unwrap()
        );
    }

    /// Creates a contest open from an hour ago for a week.
    pub async fn open_contest(&self, name: &str, slug: &str) -> Response {
        let now = chrono::Utc::now();
        let fmt = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%dT%H:%M").to_string();
        self.create_contest(
            name,
            slug,
            &fmt(now - chrono::Duration::hours(1)),
            &fmt(now + chrono::Duration::days(7)),
            None,
        )
        .await
    }

    pub async fn create_contest(
        &self,
        name: &str,
        slug: &str,
        starts: &str,
        ends: &str,
        banner: Option<(Vec<u8>, &str)>,
    ) -> Response {
        let csrf = self.csrf("/contests/new").await;
        let mut form = Form::new()
            .text("csrf_token", csrf)
            .text("name", name.to_string())
            .text("slug", slug.to_string())
            .text("description", "Short films about the sea.\nAny format.")
            .text("prize", "A camera")
            .text("starts_at", starts.to_string())
            .text("ends_at", ends.to_string());
        if let Some((bytes, filename)) = banner {
            form = form.part("banner", Part::bytes(bytes).file_name(filename.to_string()));
        }
        self.client
            .post(self.url("/contests"))
            .multipart(form)
            .send()
            .await
            .expect("request")
    }

    /// Builds the upload form (CSRF from the contest page; file last, as the browser sends it).
    pub async fn upload_form(&self, slug: &str, e: &Entry<'_>, file: &Path) -> Form {
        self.upload_form_parts(slug, e, file, Vec::new()).await
    }

    /// The upload form with `extra` parts (text fields or files) between the participant's
    /// fields and the video, which comes last.
    pub async fn upload_form_parts(
        &self,
        slug: &str,
        e: &Entry<'_>,
        file: &Path,
        extra: Vec<(String, Part)>,
    ) -> Form {
        // A closed contest's page has no form; any page's token is the session's token.
        let html = self.get_html(&format!("/c/{slug}")).await;
        let csrf = match extract_csrf(&html) {
            Some(t) => t,
            None => self.csrf("/login").await,
        };
        let mut form = Form::new()
            .text("csrf_token", csrf)
            .text("title", e.title.to_string())
            .text("first_name", e.first_name.to_string())
            .text("last_name", e.last_name.to_string())
            .text("email", e.email.to_string())
            .text("description", e.description.to_string());
        for (name, part) in extra {
            form = form.part(name, part);
        }
        let bytes = std::fs::read(file).unwrap();
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        form.part("video", Part::bytes(bytes).file_name(name))
    }

    pub async fn upload(&self, slug: &str, e: &Entry<'_>, file: &Path) -> Response {
        let form = self.upload_form(slug, e, file).await;
        self.client
            .post(self.url(&format!("/c/{slug}/videos")))
            .multipart(form)
            .send()
            .await
            .expect("request")
    }

    /// Uploads as a JSON client and returns the new video id (asserting 201).
    pub async fn upload_json(&self, slug: &str, e: &Entry<'_>, file: &Path) -> String {
        let form = self.upload_form(slug, e, file).await;
        let r = self
            .client
            .post(self.url(&format!("/c/{slug}/videos")))
            .header("Accept", "application/json")
            .multipart(form)
            .send()
            .await
            .expect("request");
        created_id(r).await
    }

    /// The video's row (`id` as the upload returned it); panics when there is none.
    pub async fn video_row(&self, id: &str) -> shared::db::Video {
        let id = id.parse().expect("a video id");
        self.backends
            .db
            .video_by_id(&id)
            .await
            .unwrap()
            .expect("the video exists")
    }

    pub async fn video_status(&self, id: &str) -> serde_json::Value {
        self.get(&format!("/api/videos/{id}"))
            .await
            .json()
            .await
            .unwrap()
    }

    pub fn is_aws(&self) -> bool {
        self.aws.is_some()
    }

    /// Runs queued jobs (conversions, then their emails) until none is left anywhere: not in
    /// the queue, and (AWS) not waiting in the outbox for the relay.
    ///
    /// Patience is wall-clock time, not a count of idle polls: an idle poll of the DB queue
    /// waits 100 ms, but SQS answers an empty poll at once, so 300 polls were only a few seconds
    /// there, less than a lost lease plus a relay retry on a loaded machine (CI failed that way).
    pub async fn drain(&self) -> Vec<Step> {
        let mut steps = Vec::new();
        let deadline = std::time::Instant::now() + Duration::from_secs(120);
        loop {
            match self
                .worker
                .run_next(Duration::from_millis(100))
                .await
                .expect("worker step")
            {
                Step::Idle => {
                    // The outbox first, then the queue: the relay sends a row's message before
                    // marking the row sent, so in this order a job in transit is always seen.
                    let outbox = self.backends.db.queued_jobs().await.unwrap() as u64;
                    let pending = outbox + self.backends.queue.depth().await.unwrap();
                    if pending == 0 {
                        return steps;
                    }
                    assert!(
                        std::time::Instant::now() < deadline,
                        "queue does not drain ({pending} pending after 120 s)"
                    );
                    // Nudge the outbox relay, and do not spin on an emulator that answers at once.
                    self.backends.queue.wake();
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                s => steps.push(s),
            }
            assert!(steps.len() < 500, "queue does not drain");
        }
    }

    /// Mail this app sent, oldest first, as raw RFC 5322 text: `.eml` files locally, the
    /// emulator's SES records on AWS.
    pub async fn outbox(&self) -> Vec<String> {
        if let Some(env) = &self.aws {
            return env.sent_mail(&self.base_url).await;
        }
        let dir = self.data.path().join("outbox");
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .map(|d| d.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default();
        files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
        files
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .map(|p| {
                std::fs::read_to_string(p)
                    .unwrap()
                    .replace("=\r\n", "")
                    .replace("=\n", "")
            })
            .collect()
    }

    /// Nothing half-uploaded is left: no partial files locally, no open multipart uploads on S3.
    pub async fn assert_no_partial_uploads(&self) {
        match &self.aws {
            Some(env) => assert_eq!(env.open_multipart_uploads().await, 0),
            None => assert_eq!(walk(&self.data.path().join("storage/.partial")).len(), 0),
        }
    }

    /// Unfinished uploads in storage: partial files locally, open multipart uploads on S3.
    pub async fn partial_uploads(&self) -> usize {
        match &self.aws {
            Some(env) => env.open_multipart_uploads().await,
            None => walk(&self.data.path().join("storage/.partial")).len(),
        }
    }

    /// Leaves an unfinished upload behind, as a crash would.
    /// Whether this app runs on the AWS backends (MariaDB + moto).
    pub fn on_aws(&self) -> bool {
        self.aws.is_some()
    }

    pub async fn plant_partial_upload(&self) {
        match &self.aws {
            Some(env) => env.start_multipart("originals/crashed/original").await,
            None => std::fs::write(
                self.data.path().join("storage/.partial/crashed"),
                vec![0u8; 1024],
            )
            .unwrap(),
        }
    }

    /// The `host:port` the app listens on (for raw TCP clients).
    pub fn socket_addr(&self) -> String {
        self.address.trim_start_matches("http://").to_string()
    }

    /// Makes storage unreachable (for the health check).
    pub async fn break_storage(&self) {
        match &self.aws {
            Some(env) => env.delete_bucket().await,
            None => std::fs::remove_dir_all(self.data.path().join("storage")).unwrap(),
        }
    }

    /// GETs a media URL as the browser would: relative to the site, or absolute (S3/CDN).
    pub async fn fetch(&self, url: &str) -> reqwest::RequestBuilder {
        if url.starts_with("http") {
            self.client.get(url)
        } else {
            self.client.get(self.url(url))
        }
    }

    /// Originals kept in storage (whatever the backend).
    pub async fn stored_originals(&self) -> usize {
        self.backends.storage.list("originals").await.unwrap().len()
    }

    /// A stored object copied to a local file (whatever the backend), or None if absent.
    pub async fn stored(&self, key: &str) -> Option<PathBuf> {
        let dest = self
            .data
            .path()
            .join(format!("fetched-{}", key.replace('/', "_")));
        let _ = std::fs::remove_file(&dest);
        self.backends
            .storage
            .fetch_to_file(key, &dest)
            .await
            .ok()
            .map(|_| dest)
    }
}

/// The id of the video a JSON upload created, asserting 201 and its status URL.
pub async fn created_id(r: Response) -> String {
    let status = r.status();
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        body["status_url"],
        format!("/api/videos/{}", body["id"].as_str().unwrap())
    );
    body["id"].as_str().unwrap().to_string()
}

pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// The text of the dashboard cell `<td data-state="{state}" ...>` of its first row, tags
/// stripped (`"1"`), whatever other attributes the cell carries.
pub fn dashboard_cell(html: &str, state: &str) -> Option<String> {
    let start = html.find(&format!("<td data-state=\"{state}\""))?;
    let cell = &html[start..];
    let inner = &cell[cell.find('>')? + 1..cell.find("</td>")?];
    let mut text = String::new();
    let mut in_tag = false;
    for c in inner.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    Some(text.trim().to_string())
}

pub fn extract_csrf(html: &str) -> Option<String> {
    let i = html.find("name=\"csrf_token\" value=\"")? + "name=\"csrf_token\" value=\"".len();
    Some(html[i..].split('"').next()?.to_string())
}

/// Test media, generated once per test binary with ffmpeg's lavfi sources.
pub fn media(kind: &str) -> PathBuf {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    let dir = DIR.get_or_init(|| tempfile::tempdir().unwrap());
    let (name, args): (&str, Vec<&str>) = match kind {
        "avi" => (
            "clip.avi",
            vec![
                "-f",
                "lavfi",
                "-i",
                "testsrc=size=320x240:rate=25:duration=2",
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:duration=2",
                "-c:v",
                "mpeg4",
                "-c:a",
                "libmp3lame",
                "-shortest",
            ],
        ),
        "flv" => (
            "clip.flv",
            vec![
                "-f",
                "lavfi",
                "-i",
                "testsrc=size=320x240:rate=25:duration=2",
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:duration=2:sample_rate=44100",
                "-c:v",
                "flv",
                "-c:a",
                "libmp3lame",
                "-shortest",
            ],
        ),
        "wmv" => (
            "clip.wmv",
            vec![
                "-f",
                "lavfi",
                "-i",
                "testsrc=size=320x240:rate=25:duration=2",
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:duration=2",
                "-c:v",
                "wmv2",
                "-c:a",
                "wmav2",
                "-shortest",
            ],
        ),
        "mkv" => (
            "clip.mkv",
            vec![
                "-f",
                "lavfi",
                "-i",
                "testsrc=size=320x240:rate=25:duration=2",
                "-c:v",
                "mpeg4",
            ],
        ),
        "mp4" => (
            "clip.mp4",
            vec![
                "-f",
                "lavfi",
                "-i",
                "testsrc=size=320x240:rate=25:duration=2",
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:duration=2",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-pix_fmt",
                "yuv420p",
                "-c:a",
                "aac",
                "-shortest",
            ],
        ),
        "noaudio" => (
            "silent.avi",
            vec![
                "-f",
                "lavfi",
                "-i",
                "testsrc=size=320x240:rate=25:duration=2",
                "-c:v",
                "mpeg4",
            ],
        ),
        "tiny" => (
            "tiny.avi",
            vec![
                "-f",
                "lavfi",
                "-i",
                "testsrc=size=160x120:rate=10:duration=0.5",
                "-c:v",
                "mpeg4",
            ],
        ),
        "odd" => (
            "odd.avi",
            vec![
                "-f",
                "lavfi",
                "-i",
                "testsrc=size=321x241:rate=25:duration=1",
                "-c:v",
                "mpeg4",
            ],
        ),
        "png" => (
            "banner.png",
            vec![
                "-f",
                "lavfi",
                "-i",
                "color=c=red:size=64x32",
                "-frames:v",
                "1",
            ],
        ),
        "garbage" => {
            let p = dir.path().join("garbage.avi");
            if !p.exists() {
                std::fs::write(
                    &p,
                    (0..200_000u32)
                        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
                        .collect::<Vec<u8>>(),
                )
                .unwrap();
            }
            return p;
        }
        "playlist" => {
            // An HLS playlist renamed .avi must not be opened (no hls demuxer, no network).
            let p = dir.path().join("playlist.avi");
            if !p.exists() {
                std::fs::write(&p, "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\nhttp://127.0.0.1:9/x.ts\n#EXT-X-ENDLIST\n").unwrap();
            }
            return p;
        }
        other => panic!("unknown media {other}"),
    };
    let path = dir.path().join(name);
    if !path.exists() {
        // Tests run in parallel: each generation writes its own file, and the rename is atomic.
        static SEQ: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = dir.path().join(format!("tmp-{n}-{name}"));
        let status = std::process::Command::new("ffmpeg")
            .args(["-nostdin", "-v", "error", "-y"])
            .args(&args)
            .arg(&tmp)
            .status()
            .expect("ffmpeg runs");
        assert!(status.success(), "ffmpeg failed generating {kind}");
        std::fs::rename(&tmp, &path).unwrap();
    }
    path
}

/// ffprobe's JSON for a file.
pub fn ffprobe(path: &Path) -> serde_json::Value {
    let out = std::process::Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-print_format",
            "json",
            "-show_format",
            "-show_streams",
        ])
        .arg(path)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Byte offset of a top-level MP4 box.
pub fn box_offset(bytes: &[u8], name: &[u8; 4]) -> Option<usize> {
    let mut pos = 0usize;
    while pos + 8 <= bytes.len() {
        let size = u32::from_be_bytes(bytes[pos..pos + 4].try_into().unwrap()) as usize;
        if &bytes[pos + 4..pos + 8] == name {
            return Some(pos);
        }
        let size = if size == 1 {
            u64::from_be_bytes(bytes[pos + 8..pos + 16].try_into().unwrap()) as usize
        } else {
            size
        };
        if size < 8 {
            return None;
        }
        pos += size;
    }
    None
}
