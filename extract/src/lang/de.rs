//! German: the words of news text about dates, times and events, with the inflected forms the
//! rules meet ("letzte Woche", "letzten Monat", "vergangenes Jahr", "im dritten Quartal").

use chrono::Weekday;

use super::{Lexicon, PartOfDay, Unit};
use crate::value::Reference;

/// "gesagt", "angekündigt", "informiert": a participle of the perfect, which news tells the past
/// in ("hat am Freitag … gesagt"); "ge-" may follow a separable prefix ("an-ge-kündigt").
fn participle(w: &str) -> bool {
    const SEPARABLE: [&str; 12] = ["", "ab", "an", "auf", "aus", "bei", "ein", "fest", "mit", "nach", "vor", "zu"];
    let n = w.chars().count();
    let ge = SEPARABLE.iter().any(|p| w.strip_prefix(p).is_some_and(|r| r.starts_with("ge")));
    (n > 5 && ge && (w.ends_with('t') || w.ends_with("en"))) || (n > 6 && (w.ends_with("iert") || w.ends_with("ierte")))
}

pub static LEXICON: Lexicon = Lexicon {
    months: &[
        ("januar", 1),
        ("jänner", 1),
        ("jan", 1),
        ("februar", 2),
        ("feber", 2),
        ("feb", 2),
        ("märz", 3),
        ("mär", 3),
        ("april", 4),
        ("apr", 4),
        ("mai", 5),
        ("juni", 6),
        ("jun", 6),
        ("juli", 7),
        ("jul", 7),
        ("august", 8),
        ("aug", 8),
        ("september", 9),
        ("sept", 9),
        ("sep", 9),
        ("oktober", 10),
        ("okt", 10),
        ("november", 11),
        ("nov", 11),
        ("dezember", 12),
        ("dez", 12),
    ],
    // Every noun is capitalised, and no month name is a common word.
    month_needs_capital: false,
    weekdays: &[
        ("montag", Weekday::Mon),
        ("dienstag", Weekday::Tue),
        ("mittwoch", Weekday::Wed),
        ("donnerstag", Weekday::Thu),
        ("freitag", Weekday::Fri),
        ("samstag", Weekday::Sat),
        ("sonnabend", Weekday::Sat),
        ("sonntag", Weekday::Sun),
    ],
    numbers: &[
        ("ein", 1),
        ("eine", 1),
        ("einem", 1),
        ("einer", 1),
        ("eines", 1),
        ("einen", 1),
        ("eins", 1),
        ("zwei", 2),
        ("drei", 3),
        ("vier", 4),
        ("fünf", 5),
        ("sechs", 6),
        ("sieben", 7),
        ("acht", 8),
        ("neun", 9),
        ("zehn", 10),
        ("elf", 11),
        ("zwölf", 12),
        ("zwanzig", 20),
        ("dreißig", 30),
        ("vierzig", 40),
        ("fünfzig", 50),
    ],
    ordinals: &[
        ("erste", 1),
        ("ersten", 1),
        ("erster", 1),
        ("erstes", 1),
        ("zweite", 2),
        ("zweiten", 2),
        ("zweiter", 2),
        ("zweites", 2),
        ("dritte", 3),
        ("dritten", 3),
        ("dritter", 3),
        ("drittes", 3),
        ("vierte", 4),
        ("vierten", 4),
        ("vierter", 4),
        ("viertes", 4),
        ("neunzehnte", 19),
        ("neunzehnten", 19),
        ("zwanzigste", 20),
        ("zwanzigsten", 20),
        ("einundzwanzigste", 21),
        ("einundzwanzigsten", 21),
    ],
    // "3. Quartal", "2. März": the full stop makes the number an ordinal.
    ordinal_suffixes: &["."],
    vague_counts: &["einigen", "wenigen", "mehreren", "etlichen", "vielen", "paar"],
    units: &[
        ("tag", Unit::Day),
        ("tage", Unit::Day),
        ("tagen", Unit::Day),
        ("tages", Unit::Day),
        ("woche", Unit::Week),
        ("wochen", Unit::Week),
        ("wochenende", Unit::Weekend),
        ("wochenendes", Unit::Weekend),
        ("monat", Unit::Month),
        ("monate", Unit::Month),
        ("monaten", Unit::Month),
        ("monats", Unit::Month),
        ("quartal", Unit::Quarter),
        ("quartale", Unit::Quarter),
        ("quartalen", Unit::Quarter),
        ("quartals", Unit::Quarter),
        ("jahr", Unit::Year),
        ("jahre", Unit::Year),
        ("jahren", Unit::Year),
        ("jahres", Unit::Year),
        ("jahrzehnt", Unit::Decade),
        ("jahrzehnte", Unit::Decade),
        ("jahrzehnten", Unit::Decade),
        ("jahrzehnts", Unit::Decade),
        ("jahrhundert", Unit::Century),
        ("jahrhunderte", Unit::Century),
        ("jahrhunderten", Unit::Century),
        ("jahrhunderts", Unit::Century),
    ],
    unit_plurals: &[
        "tage",
        "tagen",
        "wochen",
        "monate",
        "monaten",
        "quartale",
        "quartalen",
        "jahre",
        "jahren",
        "jahrzehnte",
        "jahrzehnten",
        "jahrhunderte",
        "jahrhunderten",
    ],
    seasons: &[("frühling", 1), ("frühjahr", 1), ("sommer", 2), ("herbst", 3), ("winter", 4)],
    parts_of_day: &[
        ("morgen", PartOfDay::Morning),
        ("früh", PartOfDay::Morning),
        ("vormittag", PartOfDay::Morning),
        ("nachmittag", PartOfDay::Afternoon),
        ("abend", PartOfDay::Evening),
        ("nacht", PartOfDay::Night),
    ],
    relative_days: &[("heute", 0), ("gestern", -1), ("morgen", 1), ("vorgestern", -2), ("übermorgen", 2)],
    tonight: &[],
    directions: &[
        ("letzte", -1),
        ("letzten", -1),
        ("letzter", -1),
        ("letztes", -1),
        ("vergangene", -1),
        ("vergangenen", -1),
        ("vergangener", -1),
        ("vergangenes", -1),
        ("vorige", -1),
        ("vorigen", -1),
        ("voriger", -1),
        ("voriges", -1),
        ("diese", 0),
        ("diesen", 0),
        ("dieser", 0),
        ("dieses", 0),
        ("diesem", 0),
        ("laufenden", 0),
        ("nächste", 1),
        ("nächsten", 1),
        ("nächster", 1),
        ("nächstes", 1),
        ("kommende", 1),
        ("kommenden", 1),
        ("kommender", 1),
        ("kommendes", 1),
    ],
    approximate_directions: &[],
    context_directions: &[
        ("folgenden", 1),
        ("darauffolgenden", 1),
        ("nächsten", 1),
        ("vorherigen", -1),
        ("vorangegangenen", -1),
        ("selben", 0),
        ("gleichen", 0),
    ],
    ago: &[],
    ago_before: &["vor"],
    from_now_before: &["in"],
    from_now: &[],
    earlier: &["zuvor", "vorher", "davor"],
    later: &["später", "danach", "darauf"],
    approximate: &["anfang", "mitte", "ende", "gegen ende", "zu beginn", "beginn", "ungefähr", "etwa", "circa", "ca"],
    day_modifiers: &["früh", "spät"],
    determiners: &["der", "die", "das", "den", "dem", "des"],
    same: &["am selben", "am gleichen", "an diesem", "am selben", "in diesem"],
    context_openers: &["am", "der", "die", "dem", "den", "des"],
    season_openers: &[
        "im",
        "in",
        "diesen",
        "diesem",
        "letzten",
        "vergangenen",
        "nächsten",
        "kommenden",
        "seit",
        "bis",
        "zum",
        "den",
        "der",
        "des",
        "anfang",
        "mitte",
        "ende",
        "während",
    ],
    quarter: &["quartal", "quartals", "vierteljahr", "vierteljahres"],
    half: &["halbjahr", "halbjahres", "jahreshälfte"],
    fiscal: &["geschäftsjahr", "geschäftsjahres", "fiskaljahr"],
    reporting_period: &["berichtszeitraum", "quartal"],
    comparable: &["gleichen", "vergleichbaren", "entsprechenden"],
    latest: &["abgelaufenen", "vergangenen", "jüngsten", "letzten"],
    year_earlier: &["vorjahr", "vorjahres", "vorjahreszeitraum", "vorjahresquartal"],
    year_before_context: &["ein jahr zuvor", "ein jahr davor", "ein jahr vorher", "im jahr zuvor", "im vorjahr"],
    year_to_date: &["die ersten neun monate", "den ersten neun monaten", "das erste halbjahr"],
    century: &["jahrhundert", "jahrhunderts"],
    decade_suffix: &["er"],
    decade_words: &[
        ("zwanziger", 192),
        ("dreißiger", 193),
        ("vierziger", 194),
        ("fünfziger", 195),
        ("sechziger", 196),
        ("siebziger", 197),
        ("achtziger", 198),
        ("neunziger", 199),
    ],
    spelled_centuries: &[],
    thousand: &["tausend"],
    clock_words: &[("mittag", 12), ("mitternacht", 0)],
    meridiem: &[],
    time_zones: &["mez", "mesz", "utc", "gmt", "cet", "cest"],
    comparison: &["verglichen", "gegenüber", "als", "vergleich"],
    before_after: &["vor", "nach"],
    to: &["zu"],
    period_end: &["bis", "zum"],
    of: &["des jahres", "im jahr", "im jahre"],
    numeric_separators: &["."],
    numeric_day_first: true,
    compound_day_parts: true,
    references: &[
        ("jetzt", Reference::Present),
        ("derzeit", Reference::Present),
        ("zurzeit", Reference::Present),
        ("zur zeit", Reference::Present),
        ("gegenwärtig", Reference::Present),
        ("momentan", Reference::Present),
        ("aktuell", Reference::Present),
        ("heutzutage", Reference::Present),
        ("kürzlich", Reference::Past),
        ("vor kurzem", Reference::Past),
        ("vor kurzer zeit", Reference::Past),
        ("neulich", Reference::Past),
        ("jüngst", Reference::Past),
        ("unlängst", Reference::Past),
        ("einst", Reference::Past),
        ("in letzter zeit", Reference::Past),
        ("in der vergangenheit", Reference::Past),
        ("in den vergangenen jahren", Reference::Past),
        ("in den letzten jahren", Reference::Past),
        ("in den vergangenen monaten", Reference::Past),
        ("in den letzten monaten", Reference::Past),
        ("in den vergangenen wochen", Reference::Past),
        ("in den letzten wochen", Reference::Past),
        ("bald", Reference::Future),
        ("demnächst", Reference::Future),
        ("künftig", Reference::Future),
        ("zukünftig", Reference::Future),
        ("in zukunft", Reference::Future),
        ("in naher zukunft", Reference::Future),
        ("in den kommenden jahren", Reference::Future),
        ("in den kommenden monaten", Reference::Future),
        ("in den nächsten jahren", Reference::Future),
    ],
    past_markers: &[
        "war",
        "waren",
        "hatte",
        "hatten",
        "hat",
        "haben",
        "wurde",
        "wurden",
        "sagte",
        "sagten",
        "erklärte",
        "teilte",
        "kam",
        "gab",
        "ging",
        "stand",
        "traf",
        "nahm",
        "bestätigte",
        "berichtete",
        "vor",
    ],
    participle,
    future_markers: &[
        "wird",
        "werden",
        "soll",
        "sollen",
        "will",
        "wollen",
        "plant",
        "planen",
        "geplant",
        "voraussichtlich",
        "erwartet",
        "bis",
        "künftig",
        "angekündigt",
    ],
    abbreviations: &[
        "dr", "prof", "nr", "bzw", "ca", "vgl", "evtl", "inkl", "jan", "feb", "mär", "apr", "jun", "jul", "aug", "sep",
        "sept", "okt", "nov", "dez", "st", "z", "b", "u", "a", "d", "h", "s", "v", "chr", "gen", "abs", "str",
    ],
    trailer_markers: &[
        "mehr zum thema",
        "das könnte sie auch interessieren",
        "weitere artikel",
        "verwandte artikel",
        "lesen sie auch",
        "auch interessant",
        "meistgelesen",
        "anzeige",
        "impressum",
        "newsletter",
        "jetzt abonnieren",
        "kommentare",
        "artikel teilen",
    ],
    event_verbs: &[
        ("traf", "meeting"),
        ("trafen", "meeting"),
        ("getroffen", "meeting"),
        ("beriet", "meeting"),
        ("berieten", "meeting"),
        ("besuchte", "visit"),
        ("besucht", "visit"),
        ("sagte", "statement"),
        ("sagt", "statement"),
        ("gesagt", "statement"),
        ("erklärte", "statement"),
        ("erklärt", "statement"),
        ("betonte", "statement"),
        ("bestätigte", "statement"),
        ("bestätigt", "statement"),
        ("dementierte", "statement"),
        ("warnte", "statement"),
        ("forderte", "statement"),
        ("lehnte", "decision"),
        ("abgelehnt", "decision"),
        ("beschloss", "decision"),
        ("beschlossen", "decision"),
        ("entschied", "decision"),
        ("entschieden", "decision"),
        ("stimmte", "decision"),
        ("kündigte", "announcement"),
        ("angekündigt", "announcement"),
        ("veröffentlichte", "publication"),
        ("veröffentlicht", "publication"),
        ("berichtete", "publication"),
        ("berichtet", "publication"),
        ("enthüllte", "publication"),
        ("abgehört", "interception"),
        ("mitgeschnitten", "interception"),
        ("durchgestochen", "leak"),
        ("geleakt", "leak"),
        ("festgenommen", "arrest"),
        ("verhaftet", "arrest"),
        ("angeklagt", "legal"),
        ("verurteilt", "legal"),
        ("ermittelt", "investigation"),
        ("ermittelte", "investigation"),
        ("unterzeichnete", "agreement"),
        ("unterzeichnet", "agreement"),
        ("vereinbart", "agreement"),
        ("trat", "personnel"),
        ("zurückgetreten", "personnel"),
        ("ernannt", "personnel"),
        ("entlassen", "personnel"),
        ("gewählt", "election"),
        ("geliefert", "delivery"),
        ("lieferte", "delivery"),
        ("starb", "death"),
        ("gestorben", "death"),
    ],
    honorifics: &[
        "dr",
        "prof",
        "herr",
        "frau",
        "bundeskanzler",
        "kanzler",
        "kanzlerin",
        "minister",
        "ministerin",
        "präsident",
        "präsidentin",
        "general",
        "generalleutnant",
        "oberst",
        "papst",
    ],
    not_names: &[
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einer",
        "einem",
        "einen",
        "er",
        "sie",
        "es",
        "wir",
        "ich",
        "ihr",
        "sein",
        "seine",
        "ihre",
        "am",
        "im",
        "in",
        "an",
        "auf",
        "aus",
        "bei",
        "mit",
        "nach",
        "von",
        "vor",
        "zu",
        "zum",
        "zur",
        "und",
        "oder",
        "aber",
        "wenn",
        "als",
        "auch",
        "dann",
        "noch",
        "nun",
        "jetzt",
        "heute",
        "gestern",
        "morgen",
        "letzte",
        "letzten",
        "nächste",
        "nächsten",
        "seit",
        "bis",
        "während",
        "laut",
    ],
    nouns_capitalised: true,
};

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use crate::{Language, Options, PartOfDay, extract};

    /// (text, value or reference) of each date found, published on Saturday 2 March 2024.
    fn values(text: &str) -> Vec<(String, String)> {
        let published = NaiveDate::from_ymd_opt(2024, 3, 2).unwrap();
        let options = Options { language: Language::German, ..Options::new(published) };
        extract(text, &options)
            .dates
            .into_iter()
            .map(|d| (d.text, d.value.unwrap_or_else(|| format!("{:?}", d.reference.unwrap()))))
            .collect()
    }

    fn pairs(v: &[(String, String)]) -> Vec<(&str, &str)> {
        v.iter().map(|(t, v)| (t.as_str(), v.as_str())).collect()
    }

    #[test]
    fn months_and_written_dates() {
        let v = values("Am 2. März 2024 traf er ihn, am 02.03.2024 erneut. Im Mai und im Dezember 2023 nicht.");
        assert_eq!(
            pairs(&v),
            [
                ("2. März 2024", "2024-03-02"),
                ("02.03.2024", "2024-03-02"),
                ("Mai", "2024-05"),
                ("Dezember 2023", "2023-12")
            ]
        );
        // The ordinal's full stop does not end the sentence.
        let published = NaiveDate::from_ymd_opt(2024, 3, 2).unwrap();
        let options = Options { language: Language::German, ..Options::new(published) };
        let out = extract("Am 1. März traf Olaf Scholz den Papst.", &options);
        assert_eq!(out.events.len(), 1);
        assert_eq!(out.events[0].date.as_deref(), Some("2024-03-01"));
    }

    #[test]
    fn weekdays_and_parts_of_the_day() {
        let v = values("Das Video wurde am Freitagabend veröffentlicht. Scholz war am Samstag im Vatikan.");
        assert_eq!(pairs(&v), [("Freitagabend", "2024-03-01"), ("Samstag", "2024-03-02")]);
        let published = NaiveDate::from_ymd_opt(2024, 3, 2).unwrap();
        let options = Options { language: Language::German, ..Options::new(published) };
        let out = extract("Es geschah am Freitagabend.", &options);
        assert_eq!(out.dates[0].part_of_day, Some(PartOfDay::Evening));
        let v = values("Er wird am Montag kommen.");
        assert_eq!(pairs(&v), [("Montag", "2024-03-04")]);
    }

    #[test]
    fn yesterday_today_tomorrow_but_not_in_the_morning() {
        let v = values("Gestern Abend sprach er, heute schweigt er, morgen reist er ab. Am Morgen regnete es.");
        assert_eq!(pairs(&v), [("Gestern Abend", "2024-03-01"), ("heute", "2024-03-02"), ("morgen", "2024-03-03")]);
    }

    #[test]
    fn relative_weeks_months_years() {
        let v = values(
            "Letzte Woche lehnte er ab. Das Gespräch fand letzten Monat statt. Vergangenes Jahr \
             stieg der Umsatz, im März letzten Jahres fiel er. Nächste Woche wird entschieden.",
        );
        assert_eq!(
            pairs(&v),
            [
                ("Letzte Woche", "2024-W08"),
                ("letzten Monat", "2024-02"),
                ("Vergangenes Jahr", "2023"),
                ("März letzten Jahres", "2023-03"),
                ("Nächste Woche", "2024-W10"),
            ]
        );
    }

    #[test]
    fn counted_back_and_forward() {
        let v =
            values("Vor zwei Tagen wurde er festgenommen, vor einer Woche gewarnt. In zwei Wochen folgt das Urteil.");
        assert_eq!(
            pairs(&v),
            [("Vor zwei Tagen", "2024-02-29"), ("vor einer Woche", "2024-W08"), ("In zwei Wochen", "2024-W11")]
        );
        let v = values("Vor Jahren war das anders; zwei Tage später kam die Antwort.");
        assert_eq!(pairs(&v), [("Vor Jahren", "Past"), ("zwei Tage später", "2024-03-04")]);
    }

    #[test]
    fn quarters_and_the_parts_of_a_month() {
        let v =
            values("Im dritten Quartal fiel der Gewinn; im 3. Quartal 2022 stieg er. Das zweite Halbjahr war schwach.");
        assert_eq!(
            pairs(&v),
            [("dritten Quartal", "2023-35"), ("3. Quartal 2022", "2022-35"), ("zweite Halbjahr", "2023-41")]
        );
        let v = values("Anfang März, Mitte März und Ende Februar.");
        assert_eq!(pairs(&v), [("Anfang März", "2024-03~"), ("Mitte März", "2024-03~"), ("Ende Februar", "2024-02~")]);
    }

    #[test]
    fn years_decades_and_the_day_after() {
        let v = values(
            "Ende 2023 stieg der Preis. Anfang nächsten Jahres soll entschieden werden. Mitte der \
             1990er Jahre war das anders. Am 1. März traf er ihn, am folgenden Tag trat er zurück.",
        );
        assert_eq!(
            pairs(&v),
            [
                ("Ende 2023", "2023~"),
                ("Anfang nächsten Jahres", "2025~"),
                ("Mitte der 1990er", "199X~"),
                ("1. März", "2024-03-01"),
                ("am folgenden Tag", "2024-03-02"),
            ]
        );
    }

    #[test]
    fn vague_words_are_references() {
        let v = values("Er wurde kürzlich festgenommen und ist derzeit in Haft; künftig soll das anders sein.");
        assert_eq!(pairs(&v), [("kürzlich", "Past"), ("derzeit", "Present"), ("künftig", "Future")]);
    }
}
