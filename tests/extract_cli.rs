//! `chronik extract` as a child process: the JSON document from a file and from standard input,
//! the publication instant read in `--time-zone`, German with `--language de`, and exit code 2
//! with a message naming what is wrong for a bad date, a bad zone, a bad language, a missing
//! file and text that is not UTF-8. No database is opened (the working directory stays empty).

use std::io::Write as _;
use std::process::{Command, Output, Stdio};

fn extract(args: &[&str], stdin: &[u8], dir: &std::path::Path) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chronik"))
        .arg("extract")
        .args(args)
        .current_dir(dir)
        .env_remove("CHRONIK_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn chronik");
    child.stdin.take().expect("stdin").write_all(stdin).expect("write stdin");
    child.wait_with_output().expect("wait for chronik")
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("one JSON document")
}

#[test]
fn a_file_and_standard_input_give_the_same_document() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "Last week, Scholz refused to send them. The tape was posted late Friday.\n";
    let file = dir.path().join("article.txt");
    std::fs::write(&file, text).expect("write");
    let from_file = json(&extract(&["--published", "2024-03-02", file.to_str().expect("path")], b"", dir.path()));
    let from_stdin = json(&extract(&["--published", "2024-03-02", "-"], text.as_bytes(), dir.path()));
    assert_eq!(from_file, from_stdin);
    let dates = from_file["dates"].as_array().expect("dates");
    let values: Vec<_> = dates.iter().map(|d| (d["text"].as_str(), d["value"].as_str(), d["start"].as_u64())).collect();
    assert_eq!(
        values,
        [(Some("Last week"), Some("2024-W08"), Some(0)), (Some("late Friday"), Some("2024-03-01"), Some(60))]
    );
    let events = from_file["events"].as_array().expect("events");
    assert_eq!(events.len(), 2);
    assert_eq!(events[1]["date"], "2024-03-01");
    assert_eq!(events[1]["quote"], "The tape was posted late Friday.");
    // Nothing touched a database.
    assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 1);
}

#[test]
fn the_publication_instant_is_read_in_the_time_zone() {
    let dir = tempfile::tempdir().expect("tempdir");
    // 23:30 UTC on 2 March is already 3 March in Berlin: "yesterday" is 2 March there.
    let args = ["--published", "2024-03-02T23:30:00Z", "--time-zone", "Europe/Berlin", "-"];
    let out = json(&extract(&args, b"It happened yesterday.", dir.path()));
    assert_eq!(out["dates"][0]["value"], "2024-03-02");
    let out = json(&extract(
        &args[..2].iter().chain(["-"].iter()).copied().collect::<Vec<_>>(),
        b"It happened yesterday.",
        dir.path(),
    ));
    assert_eq!(out["dates"][0]["value"], "2024-03-01");
}

#[test]
fn german_is_read_with_language_de() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "Letzte Woche lehnte Scholz ab. Das Video wurde am Freitagabend veröffentlicht.".as_bytes();
    let out = json(&extract(&["--published", "2024-03-02", "--language", "de", "-"], text, dir.path()));
    let values: Vec<_> = out["dates"].as_array().expect("dates").iter().map(|d| d["value"].clone()).collect();
    assert_eq!(values, ["2024-W08", "2024-03-01"]);
    // English by default: the German words are no dates.
    let out = json(&extract(&["--published", "2024-03-02", "-"], text, dir.path()));
    assert_eq!(out["dates"].as_array().expect("dates").len(), 0);
}

#[test]
fn bad_input_exits_2_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases: [(&[&str], &[u8], &str); 5] = [
        (&["--published", "2024-13-02", "-"], b"text", "--published"),
        (&["--published", "2024-03-02", "--time-zone", "Mars/Base", "-"], b"text", "--time-zone"),
        (&["--published", "2024-03-02", "missing.txt"], b"", "missing.txt"),
        (&["--published", "2024-03-02", "--language", "fr", "-"], b"text", "--language"),
        (&["--published", "2024-03-02", "-"], b"\xff\xfe not text", "not UTF-8"),
    ];
    for (args, stdin, named) in cases {
        let out = extract(args, stdin, dir.path());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(named), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}
