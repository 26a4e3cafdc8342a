//! `chronik generate --format gdelt --out FILE`: a GDELT 2.0 events file (61 tab-separated
//! columns, no header, as [`crate::exchange::read`] reads GDELT), to measure that import at the
//! scale GDELT publishes: `spec.events` rows over 2024, actors drawn by a power law over
//! `spec.actors` names (a few in most rows, as GDELT's POLICE and GOVERNMENT are; 70% of rows
//! name a second actor), each row citing one of `spec.sources` articles (several events per
//! article, as in GDELT), CAMEO codes over the 20 roots, places over two hundred. The same seed
//! gives the same file.

use std::io::Write;

use chrono::{Datelike, Days, NaiveDate};

use super::Spec;
use super::rng::{Draw, Zipf};

/// The stream of draws of GDELT rows (see [`Draw::new`]).
const STREAM: u64 = 6;

/// Writes the rows; returns how many.
pub fn write_gdelt(spec: Spec, out: impl Write) -> std::io::Result<u64> {
    let mut out = std::io::BufWriter::with_capacity(1 << 20, out);
    let actors = Zipf::new(spec.actors.max(1), 1.1);
    let first = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
    for index in 0..spec.events {
        let mut draw = Draw::new(spec.seed, STREAM, index);
        let day = first.checked_add_days(Days::new(draw.below(366))).unwrap_or(first);
        let actor = |draw: &mut Draw| {
            let rank = actors.sample(draw);
            [format!("GEN{rank}"), format!("ACTOR {rank}"), "GEN".to_owned()]
        };
        let one = actor(&mut draw);
        let two = if draw.chance(70) { actor(&mut draw) } else { [String::new(), String::new(), String::new()] };
        let root = 1 + draw.below(20);
        let code = format!("{root:02}{}", draw.below(10));
        let place = draw.below(200);
        let (latitude, longitude) = (-60.0 + place as f64 * 0.6, -170.0 + place as f64 * 1.7);
        let article = draw.below(spec.sources.max(1));
        let mentions = 1 + draw.below(40);
        let mut cells: Vec<String> = vec![
            (1_000_000_000 + index).to_string(),
            day.format("%Y%m%d").to_string(),
            day.format("%Y%m").to_string(),
            day.year().to_string(),
            format!("{:.4}", f64::from(day.year()) + f64::from(day.ordinal0()) / 366.0),
        ];
        for [code, name, country] in [one, two] {
            let known = !code.is_empty();
            cells.extend([code, name, if known { country } else { String::new() }]);
            cells.extend((0..7).map(|_| String::new()));
        }
        cells.extend([
            "1".to_owned(),
            code.clone(),
            code.get(..3).unwrap_or_default().to_owned(),
            format!("{root:02}"),
            (1 + root / 6).to_string(),
            format!("{:.1}", draw.unit() * 20.0 - 10.0),
            mentions.to_string(),
            (1 + mentions / 10).to_string(),
            mentions.to_string(),
            format!("{:.2}", draw.unit() * 20.0 - 10.0),
        ]);
        let geo = [
            "4".to_owned(),
            format!("Place {place}, Region {}, Land {}", place % 20, place % 7),
            "XX".to_owned(),
            format!("XX{:02}", place % 20),
            String::new(),
            format!("{latitude:.4}"),
            format!("{longitude:.4}"),
            format!("-{place}"),
        ];
        for _ in 0..3 {
            cells.extend(geo.iter().cloned());
        }
        cells.push(format!("{}150000", day.format("%Y%m%d")));
        cells.push(format!("https://news{}.example/article-{article}.html", article % 97));
        debug_assert_eq!(cells.len(), crate::exchange::format::GDELT_COLUMNS);
        out.write_all(cells.join("\t").as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(spec.events)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_have_gdelts_columns_and_repeat_for_a_seed() {
        let spec = Spec { events: 50, actors: 10, sources: 20, seed: 3 };
        let mut a = Vec::new();
        let mut b = Vec::new();
        assert_eq!(write_gdelt(spec, &mut a).ok(), Some(50));
        assert_eq!(write_gdelt(spec, &mut b).ok(), Some(50));
        assert_eq!(a, b);
        let text = String::from_utf8(a).unwrap_or_default();
        assert_eq!(text.lines().count(), 50);
        assert!(text.lines().all(|line| line.split('\t').count() == crate::exchange::format::GDELT_COLUMNS));
    }
}
