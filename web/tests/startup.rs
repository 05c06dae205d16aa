//! The `web` binary refuses to start, with one clear line, when something essential is wrong.
use std::process::Command;

fn start_with(envs: &[(&str, &str)]) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    start_in(dir.path(), envs)
}

fn start_in(data: &std::path::Path, envs: &[(&str, &str)]) -> (bool, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_web"));
    cmd.env("APP_DATA_DIR", data)
        .env("APP_LISTEN", "127.0.0.1:0")
        .env("RUST_LOG", "off");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).trim().to_string(),
    )
}

#[test]
fn missing_ffmpeg_is_named_with_the_fix() {
    let (ok, err) = start_with(&[("APP_MEDIA__FFMPEG", "/nonexistent/ffmpeg")]);
    assert!(!ok);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("/nonexistent/ffmpeg is not installed")
            && err.contains("apt-get install -y ffmpeg"),
        "{err}"
    );
}

#[test]
fn unreachable_database_is_named() {
    let (ok, err) = start_with(&[
        ("APP_DATABASE__URL", "mysql://root@127.0.0.1:1/nope"),
        ("APP_DATABASE__ACQUIRE_TIMEOUT_SECS", "2"),
    ]);
    assert!(!ok);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("cannot connect to the database") && err.contains("APP_DATABASE__URL"),
        "{err}"
    );
}

#[test]
fn bad_settings_are_named() {
    let (ok, err) = start_with(&[("APP_UPLOAD__MAX_BYTES", "lots")]);
    assert!(!ok);
    assert!(err.contains("max_bytes"), "{err}");
    let (ok, err) = start_with(&[("APP_BASE_URL", "contests.example.org")]);
    assert!(!ok);
    assert!(err.contains("base_url must start with http"), "{err}");
}

#[test]
fn a_taken_port_is_named() {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap().to_string();
    let (ok, err) = start_with(&[("APP_LISTEN", &addr)]);
    assert!(!ok);
    assert!(err.contains(&format!("cannot listen on {addr}")), "{err}");
}

/// A link planted at `data_dir/session.key` before the first start: the key is not written
/// through it (where the planter could read it) and the start stops, naming the file.
#[test]
fn a_link_planted_at_the_session_key_path_stops_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let target = dir.path().join("stolen.key");
    std::os::unix::fs::symlink(&target, data.join("session.key")).unwrap();
    let (ok, err) = start_in(&data, &[]);
    assert!(!ok);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("session.key") && err.contains("symbolic link"),
        "{err}"
    );
    assert!(!target.exists(), "the key was written through the link");
}

/// The binary alone, copied to an empty folder and started there, serves the whole site: pages
/// (askama compiles templates in), CSS and JS (embedded, content-hashed), a database from the
/// embedded migrations. Nothing is read from the source tree at run time. This uses the test
/// build's (debug) binary: it embeds exactly like the release one (`include_dir!`,
/// `sqlx::migrate!`, askama), so it proves the same without a release build in CI.
#[tokio::test]
async fn the_binary_alone_in_an_empty_folder_serves_pages_css_and_js() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("web");
    std::fs::copy(env!("CARGO_BIN_EXE_web"), &bin).unwrap();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let child = Command::new(&bin)
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("APP_DATA_DIR", dir.path().join("data"))
        .env("APP_LISTEN", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut child = Kill(child);
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let t0 = std::time::Instant::now();
    let html = loop {
        if let Ok(r) = client.get(format!("{base}/")).send().await {
            assert_eq!(r.status(), 200);
            break r.text().await.unwrap();
        }
        if let Ok(Some(status)) = child.0.try_wait() {
            let mut err = String::new();
            use std::io::Read;
            child
                .0
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut err)
                .unwrap();
            panic!("web exited with {status}: {err}");
        }
        assert!(
            t0.elapsed() < std::time::Duration::from_secs(30),
            "web did not answer"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    let links: Vec<String> = ["href=\"", "src=\""]
        .iter()
        .flat_map(|a| html.split(a).skip(1))
        .filter_map(|p| p.split('"').next())
        .filter(|u| u.starts_with("/static/"))
        .map(str::to_string)
        .collect();
    assert!(
        links
            .iter()
            .any(|u| u.starts_with("/static/app.") && u.ends_with(".css")),
        "{links:?}"
    );
    for url in &links {
        let r = client.get(format!("{base}{url}")).send().await.unwrap();
        assert_eq!(r.status(), 200, "{url}");
        assert_eq!(
            r.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
        assert!(!r.bytes().await.unwrap().is_empty());
    }
    // The scripts of the other pages are embedded too.
    for name in ["upload", "status", "confirm", "contest-form"] {
        let r = client
            .get(format!("{base}/static/{name}.js"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{name}.js");
        assert!(r.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("javascript"));
    }
    // Only the data folder was written next to the binary.
    let mut entries: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    entries.sort();
    assert_eq!(entries, ["data", "web"]);
}
