//! `chronik extract` without the server: `cargo run -p chronik-extract --example cli --
//! --published DATE [--language en|de] FILE|-` prints the same JSON, for iterating on the rules
//! quickly (the corpus scorer takes it as `--chronik target/release/examples/cli`).

use std::io::Read;

use chronik_extract::{Language, Options, extract};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "extract").collect();
    let mut published = None;
    let mut file = None;
    let mut language = Language::English;
    let mut i = 0;
    while i < args.len() {
        if args[i] == "--published" {
            published = args.get(i + 1).cloned();
            i += 2;
        } else if args[i] == "--language" {
            language = args.get(i + 1).ok_or("--language en|de")?.parse()?;
            i += 2;
        } else {
            file = Some(args[i].clone());
            i += 1;
        }
    }
    let published = chrono::NaiveDate::parse_from_str(&published.ok_or("--published DATE")?, "%Y-%m-%d")?;
    let mut text = String::new();
    match file.as_deref() {
        Some("-") | None => {
            std::io::stdin().read_to_string(&mut text)?;
        }
        Some(path) => text = std::fs::read_to_string(path)?,
    }
    println!("{}", serde_json::to_string(&extract(&text, &Options { language, ..Options::new(published) }))?);
    Ok(())
}
