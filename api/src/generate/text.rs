//! Words for synthetic data: names of people and bodies, headlines, summaries, quotes, places, tags.
//! Names depend only on the actor's number, so events can name their actors without looking them up.

use super::rng::Draw;

const FIRST: &[&str] = &[
    "Anna", "Boris", "Clara", "Dmitri", "Elena", "Frank", "Greta", "Hakan", "Ines", "Jonas", "Katya", "Lars", "Maria",
    "Nikolai", "Olga", "Paul", "Rosa", "Sergei", "Tanja", "Ulrich", "Vera", "Wim", "Yusuf", "Zofia", "Amir", "Bettina",
    "Carlos", "Dana", "Emil", "Fatima", "Georg", "Hanna",
];
const LAST: &[&str] = &[
    "Schmidt",
    "Petrov",
    "Novak",
    "Müller",
    "Kowalski",
    "Dubois",
    "Rossi",
    "García",
    "Jansen",
    "Horváth",
    "Lindqvist",
    "Öztürk",
    "Ivanova",
    "Fischer",
    "Weber",
    "Moreau",
    "Costa",
    "Nielsen",
    "Popescu",
    "Kuznetsov",
    "Bauer",
    "Hoffmann",
    "Wagner",
    "Becker",
    "Schulz",
    "Koch",
    "Richter",
    "Wolf",
    "Klein",
    "Schröder",
    "Neumann",
    "Zimmermann",
];
const BODIES: &[&str] = &[
    "Ministry of Defence",
    "Federal Prosecutor",
    "Foreign Office",
    "Central Bank",
    "Parliamentary Committee",
    "Intelligence Service",
    "Customs Authority",
    "Court of Auditors",
    "Border Police",
    "Ministry of the Interior",
];
const ORGS: &[&str] = &[
    "Holding",
    "Consulting",
    "Logistics",
    "Energy",
    "Shipping",
    "Capital",
    "Trading",
    "Systems",
    "Media",
    "Foundation",
];
const PLACES: &[(&str, f64, f64)] = &[
    ("Berlin", 52.52, 13.405),
    ("Moscow", 55.7558, 37.6173),
    ("Kyiv", 50.4501, 30.5234),
    ("Paris", 48.8566, 2.3522),
    ("Vienna", 48.2082, 16.3738),
    ("Warsaw", 52.2297, 21.0122),
    ("Brussels", 50.8503, 4.3517),
    ("London", 51.5072, -0.1276),
    ("Singapore", 1.3521, 103.8198),
    ("Istanbul", 41.0082, 28.9784),
    ("Geneva", 46.2044, 6.1432),
    ("Washington", 38.9072, -77.0369),
];
const TOPICS: &[&str] = &[
    "arms deliveries",
    "the pipeline contract",
    "offshore accounts",
    "the leaked recording",
    "sanctions evasion",
    "the defence budget",
    "a shell company",
    "the tender",
    "surveillance software",
    "grain exports",
    "the election campaign",
    "a cyber attack",
    "the port deal",
    "disinformation",
    "the bank's audit",
];
const PUBLISHERS: &[&str] = &[
    "Der Spiegel",
    "Le Monde",
    "The Guardian",
    "Süddeutsche Zeitung",
    "Reuters",
    "Associated Press",
    "Meduza",
    "The Insider",
    "OCCRP",
    "Wall Street Journal",
    "Financial Times",
    "Kyiv Independent",
];
const TAGS: &[&str] = &[
    "leak",
    "sanctions",
    "procurement",
    "money-laundering",
    "espionage",
    "elections",
    "energy",
    "military",
    "courts",
    "lobbying",
    "cyber",
    "shipping",
    "banking",
    "propaganda",
    "corruption",
];

pub fn person_name(index: u64) -> String {
    let first = FIRST[(index % FIRST.len() as u64) as usize];
    let last = LAST[((index / FIRST.len() as u64) % LAST.len() as u64) as usize];
    let generation = index / (FIRST.len() * LAST.len()) as u64;
    if generation == 0 { format!("{first} {last}") } else { format!("{first} {last} ({generation})") }
}

pub fn actor_name(kind: &str, index: u64) -> String {
    let last = LAST[(index % LAST.len() as u64) as usize];
    match kind {
        "person" => person_name(index),
        "state_body" => format!("{} {}", BODIES[(index % BODIES.len() as u64) as usize], index),
        "media_outlet" => format!("{} Media {index}", last),
        "group" => format!("{last} Network {index}"),
        _ => format!("{last} {} {index}", ORGS[(index % ORGS.len() as u64) as usize]),
    }
}

pub fn alias(name: &str, index: u64) -> String {
    let initials: String = name.split_whitespace().filter_map(|w| w.chars().next()).collect();
    format!("{initials}-{index}")
}

pub fn actor_description(kind: &str, draw: &mut Draw) -> String {
    let topic = draw.pick(TOPICS);
    match kind {
        "person" => format!("Named in reports on {topic}."),
        "state_body" => format!("Public body in charge of matters touching {topic}."),
        "media_outlet" => format!("Outlet that covered {topic}."),
        _ => format!("Linked to {topic}."),
    }
}

pub fn publisher(draw: &mut Draw) -> &'static str {
    PUBLISHERS[draw.below(PUBLISHERS.len() as u64) as usize]
}

/// A URL-friendly form of a name.
pub fn slug(text: &str) -> String {
    text.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect()
}

pub fn headline(draw: &mut Draw) -> String {
    let topic = draw.pick(TOPICS);
    let place = draw.pick(PLACES).0;
    match draw.below(4) {
        0 => format!("What we know about {topic}"),
        1 => format!("Inside {topic}: documents from {place}"),
        2 => format!("New questions over {topic}"),
        _ => format!("{place} and {topic}: a timeline"),
    }
}

fn who(names: &[String], index: usize) -> &str {
    names.get(index).map_or("an official", String::as_str)
}

pub fn title(kind: &str, names: &[String], draw: &mut Draw) -> String {
    let topic = draw.pick(TOPICS);
    let place = draw.pick(PLACES).0;
    match kind {
        "meeting" => format!("{} meets {} in {place}", who(names, 0), who(names, 1)),
        "leak" => format!("Documents on {topic} leaked"),
        "publication" => format!("{} publishes report on {topic}", draw.pick(PUBLISHERS)),
        "statement" => format!("{} comments on {topic}", who(names, 0)),
        "investigation" => format!("Inquiry opened into {topic}"),
        "arrest" => format!("{} arrested in {place}", who(names, 0)),
        "decision" => format!("{} decides on {topic}", who(names, 0)),
        "correction" => format!("{} corrects report on {topic}", draw.pick(PUBLISHERS)),
        _ => format!("{}: {} and {}", capitalised(topic), who(names, 0), who(names, 1)),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

pub fn summary(draw: &mut Draw, names: &[String]) -> String {
    let topic = draw.pick(TOPICS);
    let place = draw.pick(PLACES).0;
    format!(
        "According to people familiar with the matter, {} was involved in talks about {topic} held in {place}. \
         The account could not be independently verified.",
        who(names, 0)
    )
}

pub fn quote(draw: &mut Draw, names: &[String]) -> String {
    let topic = draw.pick(TOPICS);
    match draw.below(3) {
        0 => format!("“We were never informed about {topic},” {} said.", who(names, 0)),
        1 => format!("The documents show payments connected to {topic}."),
        _ => format!("Two officials confirmed the meeting on condition of anonymity, citing {topic}."),
    }
}

pub fn city(draw: &mut Draw) -> (&'static str, f64, f64) {
    *draw.pick(PLACES)
}

pub fn tags(draw: &mut Draw) -> Vec<String> {
    let count = draw.weighted(&[(0u64, 30), (1, 45), (2, 25)]);
    let mut tags: Vec<String> = Vec::new();
    for _ in 0..count {
        let tag = draw.pick(TAGS).to_string();
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags
}
