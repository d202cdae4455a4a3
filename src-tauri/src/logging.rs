//! Log setup: `RUST_LOG` or `info` by default, to stderr and, once the data dir is known, to
//! `<data dir>/logs/guichet.log.<date>` (one file a day, the last 14 kept) for support.

use std::io::Write;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::EnvFilter;

/// Days of log files kept.
const KEPT_FILES: usize = 14;

/// The daily log file, set by [`to_data_dir`].
static FILE: OnceLock<Mutex<RollingFileAppender>> = OnceLock::new();

/// Installs the global subscriber once at start.
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(Tee)
        .with_ansi(false)
        .try_init();
}

/// From now on, logs also go to the data dir's `logs/` folder.
pub fn to_data_dir(data_dir: &Path) {
    let dir = data_dir.join("logs");
    // The appender lists the folder to prune old files: it must exist first.
    if let Err(err) = std::fs::create_dir_all(&dir) {
        tracing::warn!(error = %err, "no log folder: logging to stderr only");
        return;
    }
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix("guichet.log")
        .max_log_files(KEPT_FILES)
        .build(dir);
    match appender {
        Ok(a) => {
            let _ = FILE.set(Mutex::new(a));
        }
        Err(err) => tracing::warn!(error = %err, "no log file: logging to stderr only"),
    }
}

/// Writes each record to stderr and to the log file when there is one.
struct Tee;

/// One record's writer.
struct TeeWriter;

impl<'a> MakeWriter<'a> for Tee {
    type Writer = TeeWriter;

    fn make_writer(&'a self) -> Self::Writer {
        TeeWriter
    }
}

impl Write for TeeWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let _ = std::io::stderr().write_all(buf);
        if let Some(file) = FILE.get() {
            let mut file = file.lock().unwrap_or_else(|p| p.into_inner());
            // A full disk must not stop the till: the record still went to stderr.
            let _ = file.write_all(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if let Some(file) = FILE.get() {
            let _ = file.lock().unwrap_or_else(|p| p.into_inner()).flush();
        }
        std::io::stderr().flush()
    }
}
