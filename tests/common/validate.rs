//! The validators of tests/pyvalidate: a file Chronik wrote, read by the Python library made for
//! its format (installed by tests/pyvalidate/run.sh into a virtual environment under target/ on
//! first use), whose JSON report the test then checks.

use std::process::Command;
use std::sync::Mutex;

use serde_json::Value;

/// One validation at a time: the first one creates the virtual environment.
static ONE: Mutex<()> = Mutex::new(());

/// Runs `tests/pyvalidate/run.sh FORMAT` on `text` (written to a file named `name`) and returns
/// its report; panics with the validator's complaints when it refuses the file.
pub fn python(format: &str, name: &str, text: &str) -> Value {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/pyvalidate/run.sh");
    let output = {
        let _one = ONE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        super::process::blocking(|| Command::new(script).arg(format).arg(&path).output().expect("run run.sh"))
    };
    assert!(
        output.status.success(),
        "the {format} validator refused the file:\n{}\n{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    );
    serde_json::from_slice(&output.stdout).expect("the validator's JSON")
}
