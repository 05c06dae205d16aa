//! The one way this project runs a subprocess: an argv list (never a shell), stdin closed,
//! a timeout that kills, killed when dropped, and a bounded tail of stderr for the error message.
use std::ffi::OsString;
use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::Command;
use tokio::sync::mpsc;

const STDERR_TAIL: usize = 4096;
const STDOUT_CAP: usize = 8 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ProcessError {
    #[error("{0} is not installed or not on PATH; install it (apt-get install -y ffmpeg) or set its path in the configuration")]
    NotInstalled(String),
    #[error("{program} took longer than {secs} s and was stopped")]
    Timeout { program: String, secs: u64 },
    #[error("{program} exited with {status}: {stderr}")]
    Failed {
        program: String,
        status: String,
        stderr: String,
    },
    #[error("could not run {program}: {source}")]
    Io {
        program: String,
        source: std::io::Error,
    },
}

#[derive(Debug)]
pub struct Output {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr_tail: String,
}

/// Runs `program args...`. With `lines`, each stdout line is sent there (dropped if the receiver
/// lags) instead of being collected.
pub async fn run(
    program: &str,
    args: &[OsString],
    timeout: Duration,
    lines: Option<mpsc::Sender<String>>,
) -> Result<Output, ProcessError> {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    // If this process dies without dropping the child (kill -9, OOM), the kernel kills the child
    // too: no orphaned ffmpeg keeps burning CPU on a job another worker will redo.
    #[cfg(target_os = "linux")]
    // SAFETY: prctl is async-signal-safe and touches only the child's own state.
    unsafe {
        cmd.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ProcessError::NotInstalled(program.to_string()),
        _ => ProcessError::Io {
            program: program.to_string(),
            source: e,
        },
    })?;
    let stdout = child.stdout.take().expect("piped stdout");
    let stderr = child.stderr.take().expect("piped stderr");

    let out_task = tokio::spawn(async move {
        let mut collected = Vec::new();
        match lines {
            Some(tx) => {
                let mut reader = BufReader::new(stdout).lines();
                while let Ok(Some(line)) = reader.next_line().await {
                    let _ = tx.try_send(line);
                }
            }
            None => {
                let _ = stdout
                    .take(STDOUT_CAP as u64)
                    .read_to_end(&mut collected)
                    .await;
            }
        }
        collected
    });
    let err_task = tokio::spawn(async move {
        let mut tail: Vec<u8> = Vec::new();
        let mut buf = [0u8; 8192];
        let mut stderr = stderr;
        while let Ok(n) = stderr.read(&mut buf).await {
            if n == 0 {
                break;
            }
            tail.extend_from_slice(&buf[..n]);
            if tail.len() > STDERR_TAIL {
                tail.drain(..tail.len() - STDERR_TAIL);
            }
        }
        String::from_utf8_lossy(&tail).trim().to_string()
    });

    let status = match tokio::time::timeout(timeout, child.wait()).await {
        Ok(Ok(status)) => status,
        Ok(Err(e)) => {
            return Err(ProcessError::Io {
                program: program.to_string(),
                source: e,
            })
        }
        Err(_) => {
            let _ = child.kill().await;
            out_task.abort();
            err_task.abort();
            return Err(ProcessError::Timeout {
                program: program.to_string(),
                secs: timeout.as_secs(),
            });
        }
    };
    let stdout = out_task.await.unwrap_or_default();
    let stderr_tail = err_task.await.unwrap_or_default();
    if !status.success() {
        return Err(ProcessError::Failed {
            program: program.to_string(),
            status: status.to_string(),
            stderr: last_lines(&stderr_tail, 5),
        });
    }
    Ok(Output {
        status,
        stdout,
        stderr_tail,
    })
}

fn last_lines(s: &str, n: usize) -> String {
    let lines: Vec<&str> = s.lines().collect();
    lines[lines.len().saturating_sub(n)..].join(" | ")
}

/// `OsString` argv from string-likes.
pub fn argv<I, S>(items: I) -> Vec<OsString>
where
    I: IntoIterator<Item = S>,
    S: Into<OsString>,
{
    items.into_iter().map(Into::into).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn missing_program_is_named() {
        let e = run("definitely-not-here-xyz", &[], Duration::from_secs(1), None)
            .await
            .unwrap_err();
        assert!(matches!(e, ProcessError::NotInstalled(_)));
        assert!(e.to_string().contains("not installed"));
    }

    #[tokio::test]
    async fn timeout_kills() {
        let started = std::time::Instant::now();
        let e = run("sleep", &argv(["5"]), Duration::from_millis(200), None)
            .await
            .unwrap_err();
        assert!(matches!(e, ProcessError::Timeout { .. }));
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[tokio::test]
    async fn failure_carries_stderr_tail_and_args_are_not_a_shell() {
        let e = run(
            "sh",
            &argv(["-c", "echo boom >&2; exit 3"]),
            Duration::from_secs(5),
            None,
        )
        .await
        .unwrap_err();
        assert!(e.to_string().contains("boom"), "{e}");
        // An argument with shell metacharacters is one literal argument.
        let out = run(
            "echo",
            &argv(["$(whoami); ls"]),
            Duration::from_secs(5),
            None,
        )
        .await
        .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "$(whoami); ls");
    }

    #[tokio::test]
    async fn streams_lines() {
        let (tx, mut rx) = mpsc::channel(16);
        run(
            "printf",
            &argv(["a\\nb\\n"]),
            Duration::from_secs(5),
            Some(tx),
        )
        .await
        .unwrap();
        assert_eq!(rx.recv().await.as_deref(), Some("a"));
        assert_eq!(rx.recv().await.as_deref(), Some("b"));
    }
}
