//! `chronik extract --published DATE [--time-zone TZ] [--language en|de] FILE|-`: the dates and candidate events of
//! an article as one JSON document on stdout (see the `chronik-extract` crate). Nothing is
//! read from or written to the database. Bad input (an unreadable file, text that is not
//! UTF-8) exits with code 2 and a message naming it, as clap does for a bad option.

use std::io::Read as _;

use chronik_extract::{Options, extract};

use crate::config::{ExtractArgs, Published};

/// Refuses bad input with exit code 2, as clap does.
fn refuse(message: String) -> ! {
    eprintln!("error: {message}");
    std::process::exit(2)
}

pub fn run(args: ExtractArgs) -> anyhow::Result<()> {
    let date = match args.published {
        Published::Date(date) => date,
        Published::Instant(at) => match args.time_zone {
            Some(tz) => at.with_timezone(&tz).date_naive(),
            None => at.naive_utc().date(),
        },
    };
    let mut bytes = Vec::new();
    let read = if args.file == "-" {
        std::io::stdin().read_to_end(&mut bytes)
    } else {
        std::fs::File::open(&args.file).and_then(|mut f| f.read_to_end(&mut bytes))
    };
    if let Err(e) = read {
        refuse(format!("cannot read FILE {}: {e}", args.file));
    }
    let Ok(text) = String::from_utf8(bytes) else {
        refuse(format!("FILE {} is not UTF-8 text", args.file));
    };
    let out = extract(&text, &Options { language: args.language, ..Options::new(date) });
    println!("{}", serde_json::to_string(&out)?);
    Ok(())
}
