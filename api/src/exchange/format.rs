//! The file formats, by name or by file extension.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

/// The columns of a GDELT 2.0 event row (tab-separated, no header).
pub const GDELT_COLUMNS: usize = 61;

/// A format Chronik reads or writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A `chronik/1` JSON document (lossless).
    Json,
    /// `chronik/1` as JSON Lines: one actor, source, event or link per line (lossless, streamed).
    JsonLines,
    /// One event per row; the TimelineJS Google-Sheet column layout is read too.
    Csv,
    /// TimelineJS3's JSON (`{"events": [{"start_date": {"year": …}, "text": {…}}]}`).
    TimelineJs,
    /// iCalendar (RFC 5545), export only.
    ICalendar,
    /// GraphML: actors and events as nodes, participations and links as edges (for Gephi), export only.
    GraphMl,
    /// FollowTheMoney entities as JSON Lines (Aleph, OpenSanctions), both ways.
    FollowTheMoney,
    /// ACLED's CSV export (conflict and protest events), import only; a `.csv` file is recognised
    /// by its header.
    Acled,
    /// GDELT 2.0's events table (61 tab-separated columns, no header), import only.
    Gdelt,
    /// GEXF 1.3 (Gephi), a dynamic graph of actors and events, export only.
    Gexf,
}

impl Format {
    pub const ALL: [Format; 10] = [
        Format::Json,
        Format::JsonLines,
        Format::Csv,
        Format::TimelineJs,
        Format::ICalendar,
        Format::GraphMl,
        Format::FollowTheMoney,
        Format::Acled,
        Format::Gdelt,
        Format::Gexf,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::JsonLines => "jsonl",
            Format::Csv => "csv",
            Format::TimelineJs => "timelinejs",
            Format::ICalendar => "ics",
            Format::GraphMl => "graphml",
            Format::FollowTheMoney => "ftm",
            Format::Acled => "acled",
            Format::Gdelt => "gdelt",
            Format::Gexf => "gexf",
        }
    }

    /// Whether Chronik can import this format.
    pub fn importable(self) -> bool {
        match self {
            Format::Json
            | Format::JsonLines
            | Format::Csv
            | Format::TimelineJs
            | Format::FollowTheMoney
            | Format::Acled
            | Format::Gdelt => true,
            Format::ICalendar | Format::GraphMl | Format::Gexf => false,
        }
    }

    /// Whether Chronik can export this format (ACLED and GDELT are data sets it reads).
    pub fn exportable(self) -> bool {
        match self {
            Format::Acled | Format::Gdelt => false,
            Format::Json
            | Format::JsonLines
            | Format::Csv
            | Format::TimelineJs
            | Format::FollowTheMoney
            | Format::ICalendar
            | Format::GraphMl
            | Format::Gexf => true,
        }
    }

    /// The format a file name's extension names; `.json` is [`Format::Json`] until
    /// [`Format::sniff`] looks inside.
    pub fn from_path(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "json" => Some(Format::Json),
            "jsonl" | "ndjson" => Some(Format::JsonLines),
            "csv" => Some(Format::Csv),
            "ics" | "ical" => Some(Format::ICalendar),
            "graphml" => Some(Format::GraphMl),
            "ftm" => Some(Format::FollowTheMoney),
            "gexf" => Some(Format::Gexf),
            _ => None,
        }
    }

    /// Tells a TimelineJS file from a `chronik/1` document by the start of its text: TimelineJS
    /// slides have `start_date` and `headline`, which `chronik/1` never uses.
    pub fn sniff(start: &[u8]) -> Format {
        let text = String::from_utf8_lossy(start);
        if text.contains("\"start_date\"") || text.contains("\"headline\"") { Format::TimelineJs } else { Format::Json }
    }

    /// Tells a GDELT events file (GDELT names them `*.export.CSV`, yet they are tab-separated,
    /// without a header) from a CSV file by its first line: 61 tab-separated columns, the first
    /// a number (GLOBALEVENTID).
    pub fn sniff_csv(start: &[u8]) -> Format {
        let first = start.split(|&b| b == b'\n').next().unwrap_or_default();
        let mut columns = first.split(|&b| b == b'\t');
        let numbered = columns.next().is_some_and(|id| !id.is_empty() && id.iter().all(u8::is_ascii_digit));
        if numbered && columns.count() + 1 == GDELT_COLUMNS { Format::Gdelt } else { Format::Csv }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let lower = name.trim().to_ascii_lowercase();
        let found = match lower.as_str() {
            "ndjson" | "json-lines" | "jsonlines" => Some(Format::JsonLines),
            "timeline" | "tljs" | "timelinejs3" => Some(Format::TimelineJs),
            "ical" | "icalendar" => Some(Format::ICalendar),
            "followthemoney" | "aleph" => Some(Format::FollowTheMoney),
            other => Format::ALL.into_iter().find(|format| format.name() == other),
        };
        found.ok_or_else(|| {
            let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
            format!("unknown format {name:?}: use one of {}", names.join(", "))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_extensions_map() {
        for format in Format::ALL {
            assert_eq!(format.name().parse::<Format>(), Ok(format));
        }
        assert_eq!(Format::from_path(Path::new("a/b.JSONL")), Some(Format::JsonLines));
        assert_eq!(Format::from_path(Path::new("b.txt")), None);
        assert_eq!(Format::sniff(br#"{"events":[{"start_date":{"year":"2024"}}]}"#), Format::TimelineJs);
        assert_eq!(Format::sniff(br#"{"format":"chronik/1","events":[]}"#), Format::Json);
        assert!("xml".parse::<Format>().is_err());
        let gdelt = format!("1170000001{}", "\tx".repeat(60));
        assert_eq!(Format::sniff_csv(gdelt.as_bytes()), Format::Gdelt);
        assert_eq!(Format::sniff_csv(b"event_id_cnty,event_date\n"), Format::Csv);
        assert_eq!(Format::sniff_csv(format!("id{}", "\tx".repeat(60)).as_bytes()), Format::Csv);
    }
}
