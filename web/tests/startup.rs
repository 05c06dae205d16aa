//! The `web` binary refuses to start, with one clear line, when something essential is wrong.
use std::process::Command;

fn start_with(envs: &[(&str, &str)]) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_web"));
    cmd.env("APP_DATA_DIR", dir.path())
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
