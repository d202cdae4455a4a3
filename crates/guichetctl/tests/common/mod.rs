//! Shared helpers: an in-process guichet-sandbox on 127.0.0.1:0 and the real binary.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

use guichet_sandbox::{RunningSandbox, Sandbox, Timings};

/// A sandbox with fast timings, on its own runtime (the tests themselves are synchronous).
pub struct Sb {
    pub rt: tokio::runtime::Runtime,
    pub sandbox: Option<RunningSandbox>,
    pub url: String,
}

impl Sb {
    pub fn start() -> Sb {
        Sb::start_with(Timings::fast(), 7)
    }

    pub fn start_with(timings: Timings, seed: u64) -> Sb {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let sandbox = rt
            .block_on(
                Sandbox::builder()
                    .seed(seed)
                    .timings(timings)
                    .start("127.0.0.1:0"),
            )
            .unwrap();
        let url = sandbox.url().to_string().trim_end_matches('/').to_owned();
        Sb {
            rt,
            sandbox: Some(sandbox),
            url,
        }
    }

    pub fn sandbox(&self) -> &RunningSandbox {
        self.sandbox.as_ref().unwrap()
    }

    /// GET on the admin API, as JSON.
    pub fn admin(&self, path: &str) -> serde_json::Value {
        let url = format!("{}/__sandbox/{path}", self.url);
        self.rt.block_on(async {
            reqwest::get(url)
                .await
                .unwrap()
                .json::<serde_json::Value>()
                .await
                .unwrap()
        })
    }
}

impl Drop for Sb {
    fn drop(&mut self) {
        if let Some(sb) = self.sandbox.take() {
            self.rt.block_on(sb.shutdown());
        }
    }
}

/// The kernel keyring service (and named session keyring) `bin()` gives the CLI: the audit
/// chain's key goes there, never to a real till's keyring.
pub fn keyring_service() -> String {
    format!("guichet-test-cli-{}", std::process::id())
}

/// The binary under test, joined to this test run's own named session keyring (`keyctl session
/// NAME`, which then execs it: same process): the inherited session keyring may refuse access
/// (containers), a named one is ours and is shared by every command of the run.
pub fn bin() -> Command {
    let mut c = Command::new("keyctl");
    c.args(["session", &keyring_service()])
        .arg(env!("CARGO_BIN_EXE_guichetctl"));
    c.env_remove("GUICHET_DATA_DIR")
        .env("RUST_BACKTRACE", "0")
        .env("GUICHET_KEYRING", "keyutils")
        .env("GUICHET_KEYRING_SERVICE", keyring_service());
    c
}

/// Removes a keyring entry of the audit chain's from the run's session keyring (a keyring that
/// lost the key).
pub fn forget_audit_entry(name: &str) {
    let description = format!("keyring:{name}@{}", keyring_service());
    let out = Command::new("keyctl")
        .args(["session", &keyring_service(), "sh", "-c"])
        // The store links its keys into the user's persistent keyring too: search both.
        .arg(
            "id=$(keyctl search @s user \"$1\" 2>/dev/null || \
             keyctl search \"$(keyctl get_persistent @s)\" user \"$1\") && keyctl invalidate \"$id\"",
        )
        .arg("sh")
        .arg(&description)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cannot remove {description}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `guichetctl --data-dir DIR`, stdin closed.
fn in_dir(dir: &Path) -> Command {
    let mut c = bin();
    c.arg("--data-dir").arg(dir).stdin(Stdio::null());
    c
}

/// Runs `guichetctl --data-dir DIR --sandbox URL ARGS…`.
pub fn ctl(sb: &Sb, dir: &Path, args: &[&str]) -> Output {
    in_dir(dir)
        .arg("--sandbox")
        .arg(&sb.url)
        .args(args)
        .output()
        .unwrap()
}

/// Runs `guichetctl --data-dir DIR ARGS…` (training mode, or no provider at all).
pub fn at(dir: &Path, args: &[&str]) -> Output {
    in_dir(dir).args(args).output().unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts the exit code, showing both streams when it differs.
pub fn expect_code(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        stdout(o),
        stderr(o)
    );
}

/// The operation id a money command prints first.
pub fn op_id(o: &Output) -> String {
    stdout(o)
        .lines()
        .find_map(|l| l.strip_prefix("Opération / Operation: "))
        .unwrap_or_else(|| panic!("no operation id in:\n{}", stdout(o)))
        .trim()
        .to_owned()
}
