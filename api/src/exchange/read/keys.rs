//! Keys for records of formats that may have none (CSV rows, TimelineJS slides without
//! `unique_id`): derived from what identifies the record, so that importing the same file again
//! finds the same rows.

/// A key from the parts that identify a record: `prefix:` and 16 hex digits of their FNV-1a hash
/// (a fixed function, unlike std's hasher, so keys stay the same across versions and machines).
pub fn derived_key(prefix: &str, parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.trim().bytes().chain(std::iter::once(0x1f)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{prefix}:{hash:016x}")
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
}
