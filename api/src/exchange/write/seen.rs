//! The keys a file has used so far, so that a key used twice in one file is reported with both
//! places rather than the second record silently overwriting the first. Kept small, as the
//! import's memory must stay near flat: a 128-bit hash of kind and key (two SipHashes: a false
//! match is some 10^-26 likely on a million keys) and the place as one number, 24 bytes a key.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::exchange::error::Position;

/// What a key names: keys are per kind (an actor and an event may share one).
#[derive(Debug, Clone, Copy, Hash)]
pub enum Kind {
    Actor,
    Source,
    Event,
}

/// Set on a place that is an index into `paths` rather than a line number.
const PATH: u64 = 1 << 63;

#[derive(Default)]
pub struct Seen {
    places: HashMap<[u64; 2], u64>,
    /// The places given as paths (`events[3]`), which a number cannot hold.
    paths: Vec<String>,
}

impl Seen {
    /// Records that `key` of `kind` is at `at`; if the file used it before, returns where.
    pub fn first_use(&mut self, kind: Kind, key: &str, at: &Position) -> Option<Position> {
        let hash = [digest(0, kind, key), digest(1, kind, key)];
        if let Some(&place) = self.places.get(&hash) {
            return Some(self.position(place));
        }
        let place = match at {
            Position::Line(line) => *line & !PATH,
            Position::Path(path) => {
                self.paths.push(path.clone());
                u64::try_from(self.paths.len() - 1).unwrap_or(0) | PATH
            }
        };
        self.places.insert(hash, place);
        None
    }

    fn position(&self, place: u64) -> Position {
        if place & PATH == 0 {
            return Position::Line(place);
        }
        let index = usize::try_from(place & !PATH).unwrap_or(usize::MAX);
        Position::Path(self.paths.get(index).cloned().unwrap_or_default())
    }
}

fn digest(seed: u8, kind: Kind, key: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    seed.hash(&mut hasher);
    kind.hash(&mut hasher);
    key.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_used_again_names_its_first_place() {
        let mut seen = Seen::default();
        assert_eq!(seen.first_use(Kind::Event, "a", &Position::Line(2)), None);
        assert_eq!(seen.first_use(Kind::Actor, "a", &Position::Line(3)), None, "kinds have keys of their own");
        assert_eq!(seen.first_use(Kind::Event, "a", &Position::Line(9)), Some(Position::Line(2)));
        let path = Position::Path("events[4]".into());
        assert_eq!(seen.first_use(Kind::Source, "s", &path), None);
        assert_eq!(seen.first_use(Kind::Source, "s", &Position::Path("events[7]".into())), Some(path));
    }
}
