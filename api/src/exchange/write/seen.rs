//! The keys a file has used so far, so that a key used twice in one file is reported with both
//! places rather than the second record silently overwriting the first. Kept small, as the
//! import's memory must stay near flat: a 128-bit hash of kind and key (two SipHashes: a false
//! match is some 10^-26 likely on a million keys) and the place as one number, 24 bytes a key.
//! The same set tells a source a format names again in every row that cites it (GDELT's
//! `SOURCEURL`) from one written already, so that no reader keeps a set of its own.

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
/// Set on the place of a key its format names again and again (a cited source).
const REPEATABLE: u64 = 1 << 62;

/// Tables the keys are spread over by their hash. A single table doubles by copying itself, so
/// at a million keys it held its old 25 MiB and its new 50 MiB at once, the import's peak; a
/// table of 1/256 of the keys doubles in a moment, one at a time.
const SHARDS: usize = 256;

/// What a key's use is.
#[derive(Debug, PartialEq)]
pub enum Use {
    /// The file's first use of the key.
    First,
    /// A key named again the way its format names it again and again: nothing new.
    Again,
    /// The key was used before, at this place.
    Twice(Position),
}

pub struct Seen {
    places: Vec<HashMap<[u64; 2], u64>>,
    /// The places given as paths (`events[3]`), which a number cannot hold.
    paths: Vec<String>,
}

impl Default for Seen {
    fn default() -> Self {
        Self { places: (0..SHARDS).map(|_| HashMap::new()).collect(), paths: Vec::new() }
    }
}

impl Seen {
    /// Records that `key` of `kind` is at `at`. `repeatable`: the format names this key again
    /// in each record that refers to it (always with the same content), so a second use is one
    /// only if either use is not of that kind.
    pub fn use_key(&mut self, kind: Kind, key: &str, at: &Position, repeatable: bool) -> Use {
        let hash = [digest(0, kind, key), digest(1, kind, key)];
        let shard = usize::try_from(hash[0] >> 56).unwrap_or(0) % SHARDS;
        let Some(places) = self.places.get_mut(shard) else {
            return Use::First;
        };
        if let Some(&place) = places.get(&hash) {
            if repeatable && place & REPEATABLE != 0 {
                return Use::Again;
            }
            return Use::Twice(self.position(place));
        }
        let mut place = match at {
            Position::Line(line) => *line & !(PATH | REPEATABLE),
            Position::Path(path) => {
                self.paths.push(path.clone());
                (u64::try_from(self.paths.len() - 1).unwrap_or(0) & !(PATH | REPEATABLE)) | PATH
            }
        };
        if repeatable {
            place |= REPEATABLE;
        }
        places.insert(hash, place);
        Use::First
    }

    fn position(&self, place: u64) -> Position {
        let number = place & !(PATH | REPEATABLE);
        if place & PATH == 0 {
            return Position::Line(number);
        }
        let index = usize::try_from(number).unwrap_or(usize::MAX);
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
        assert_eq!(seen.use_key(Kind::Event, "a", &Position::Line(2), false), Use::First);
        assert_eq!(
            seen.use_key(Kind::Actor, "a", &Position::Line(3), false),
            Use::First,
            "kinds have keys of their own"
        );
        assert_eq!(seen.use_key(Kind::Event, "a", &Position::Line(9), false), Use::Twice(Position::Line(2)));
        let path = Position::Path("events[4]".into());
        assert_eq!(seen.use_key(Kind::Source, "s", &path, false), Use::First);
        assert_eq!(seen.use_key(Kind::Source, "s", &Position::Path("events[7]".into()), false), Use::Twice(path));
    }

    #[test]
    fn a_repeatable_key_is_named_again_without_error_only_by_its_kind_of_use() {
        let mut seen = Seen::default();
        assert_eq!(seen.use_key(Kind::Source, "url", &Position::Line(5), true), Use::First);
        assert_eq!(seen.use_key(Kind::Source, "url", &Position::Line(8), true), Use::Again);
        assert_eq!(
            seen.use_key(Kind::Source, "url", &Position::Line(9), false),
            Use::Twice(Position::Line(5)),
            "a full record with a cited source's key is a key used twice, at the cited source's line"
        );
        assert_eq!(seen.use_key(Kind::Source, "own", &Position::Line(10), false), Use::First);
        assert_eq!(seen.use_key(Kind::Source, "own", &Position::Line(11), true), Use::Twice(Position::Line(10)));
    }

    /// Keys spread over the tables and are each found in theirs, however many.
    #[test]
    fn many_keys_are_each_remembered_once() {
        let mut seen = Seen::default();
        for line in 0..20_000u64 {
            assert_eq!(seen.use_key(Kind::Event, &format!("e{line}"), &Position::Line(line), false), Use::First);
        }
        assert!(seen.places.iter().filter(|shard| !shard.is_empty()).count() > SHARDS / 2);
        for line in (0..20_000u64).step_by(997) {
            assert_eq!(
                seen.use_key(Kind::Event, &format!("e{line}"), &Position::Line(line + 1), false),
                Use::Twice(Position::Line(line))
            );
        }
    }
}
