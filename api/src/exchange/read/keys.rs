//! Keys for records of formats that may have none (CSV rows, TimelineJS slides without
//! `unique_id`): derived from what identifies the record, so that importing the same file again
//! finds the same rows.
//!
//! Two records of a file may say the same (three untitled media slides of one date): the first
//! keeps the key its content gives, each later one gets the key of its content and its
//! occurrence (`#2`, `#3`), so no two records of a file share a key, and the same file imported
//! again finds the same rows.

use std::collections::HashMap;

/// A key from the parts that identify a record: `prefix:` and 16 hex digits of their FNV-1a hash
/// (a fixed function, unlike std's hasher, so keys stay the same across versions and machines).
pub fn derived_key(prefix: &str, parts: &[&str]) -> String {
    format!("{prefix}:{:016x}", fnv(parts))
}

fn fnv(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.trim().bytes().chain(std::iter::once(0x1f)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// The derived keys a file has given so far, by hash (12 bytes each), to tell repeats apart.
#[derive(Default)]
pub struct DerivedKeys {
    seen: HashMap<u64, u32>,
}

impl DerivedKeys {
    /// The key of a record without one of its own: from its `parts`, and its occurrence among
    /// the records of the file with the same parts when it is not the first.
    pub fn key(&mut self, prefix: &str, parts: &[&str]) -> String {
        let hash = fnv(parts);
        let occurrence = self.seen.entry(hash).or_insert(0);
        *occurrence += 1;
        if *occurrence == 1 {
            return format!("{prefix}:{hash:016x}");
        }
        let nth = format!("#{occurrence}");
        let mut more = parts.to_vec();
        more.push(&nth);
        derived_key(prefix, &more)
    }
}

#[cfg(test)]
mod tests {
    use super::derived_key;

    #[test]
    fn keys_are_stable_and_tell_parts_apart() {
        assert_eq!(derived_key("csv", &["2024", "Leak"]), derived_key("csv", &[" 2024", "Leak "]));
        assert_ne!(derived_key("csv", &["ab", "c"]), derived_key("csv", &["a", "bc"]));
        assert_eq!(derived_key("x", &[]).len(), 18);
    }

    #[test]
    fn repeats_get_keys_of_their_own_the_same_each_time() {
        let keys = |n: usize| {
            let mut derived = super::DerivedKeys::default();
            (0..n).map(|_| derived.key("tl", &["1900", ""])).collect::<Vec<_>>()
        };
        let three = keys(3);
        assert_eq!(three[0], derived_key("tl", &["1900", ""]), "the first keeps the plain key");
        assert!(three[0] != three[1] && three[1] != three[2] && three[0] != three[2]);
        assert_eq!(keys(3), three);
    }
}
