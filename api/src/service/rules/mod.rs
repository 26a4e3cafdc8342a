//! Every rule of Chronik's data that needs no database, in one place: the services and the import
//! both call these, so a mutation and a file refuse the same values with the same field names.
//! Here the checks of single fields (texts, terms, URLs, tags, lists, time zones); in the
//! submodules the rules of each kind of record, over the fields as given (drafts) and turned into
//! what their columns hold. Each check names the field it rejects. Whether what a record refers to
//! exists (an actor, a source, a parent) is for the caller to find out, by ID or by a file's key.

pub mod account;
pub mod actor;
pub mod event;
pub mod link;
pub mod source;

use crate::error::{ServiceError, ServiceResult};

pub const MAX_TITLE: usize = 500;
pub const MAX_TEXT: usize = 20_000;
pub const MAX_LIST: usize = 200;

/// A required text: trimmed, not empty, at most `max` characters.
pub fn required_text(field: &str, value: &str, max: usize) -> ServiceResult<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(ServiceError::validation(field, "must not be empty"));
    }
    within(field, trimmed, max)?;
    Ok(trimmed.to_owned())
}

/// An optional text: trimmed; empty becomes `None`.
pub fn optional_text(field: &str, value: Option<&str>, max: usize) -> ServiceResult<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(trimmed) => {
            within(field, trimmed, max)?;
            Ok(Some(trimmed.to_owned()))
        }
    }
}

fn within(field: &str, value: &str, max: usize) -> ServiceResult<()> {
    // A NUL ends a string in C: CSV, iCalendar and GraphML writers and their readers would each
    // cut or keep it differently, so a text with one would not come back as it went in.
    if value.contains('\0') {
        return Err(ServiceError::validation(field, "contains a NUL character (U+0000), which no text may hold"));
    }
    let length = value.chars().count();
    if length > max {
        return Err(ServiceError::validation(field, format!("is {length} characters long; the limit is {max}")));
    }
    Ok(())
}

/// A vocabulary term users may extend (event kinds, roles, link kinds): lowercase letters,
/// digits and underscores, starting with a letter, at most 40 characters. Spaces and dashes
/// typed by a person become underscores.
pub fn open_term(field: &str, value: &str) -> ServiceResult<String> {
    let term: String =
        value.trim().to_lowercase().chars().map(|c| if c == ' ' || c == '-' { '_' } else { c }).collect();
    let mut chars = term.chars();
    let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_lowercase());
    let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !starts_with_letter || !rest_ok || term.len() > 40 {
        return Err(ServiceError::validation(
            field,
            format!(
                "{value:?} is not a valid term: use letters, digits and underscores, starting with a letter (at most 40)"
            ),
        ));
    }
    Ok(term)
}

/// A term from a closed vocabulary.
pub fn closed_term(field: &str, value: &str, allowed: &[&str]) -> ServiceResult<String> {
    let term = value.trim().to_lowercase().replace([' ', '-'], "_");
    if allowed.contains(&term.as_str()) {
        Ok(term)
    } else {
        Err(ServiceError::validation(field, format!("{value:?} is not one of: {}", allowed.join(", "))))
    }
}

/// An optional http(s) URL.
pub fn optional_url(field: &str, value: Option<&str>) -> ServiceResult<Option<String>> {
    let Some(text) = optional_text(field, value, 2_000)? else {
        return Ok(None);
    };
    match url::Url::parse(&text) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.host().is_some() => Ok(Some(text)),
        Ok(_) => Err(ServiceError::validation(field, "must be an http or https URL")),
        Err(error) => Err(ServiceError::validation(field, format!("is not a URL: {error}"))),
    }
}

/// A list no longer than [`MAX_LIST`].
pub fn list_len<T>(field: &str, items: &[T]) -> ServiceResult<()> {
    if items.len() > MAX_LIST {
        return Err(ServiceError::validation(field, format!("has {} entries; the limit is {MAX_LIST}", items.len())));
    }
    Ok(())
}

/// Tags: trimmed, not empty, at most 100 characters each, duplicates dropped, order kept.
pub fn tags(field: &str, values: &[String]) -> ServiceResult<Vec<String>> {
    list_len(field, values)?;
    let mut tags: Vec<String> = Vec::with_capacity(values.len());
    for (index, value) in values.iter().enumerate() {
        let tag = required_text(&format!("{field}[{index}]"), value, 100)?;
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    Ok(tags)
}

/// An IANA time zone name such as `Europe/Berlin`.
pub fn time_zone(field: &str, value: Option<&str>) -> ServiceResult<Option<chrono_tz::Tz>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(name) => name.parse::<chrono_tz::Tz>().map(Some).map_err(|_| {
            ServiceError::validation(field, format!("{name:?} is not an IANA time zone such as Europe/Berlin"))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_terms_are_normalised_and_checked() {
        assert_eq!(open_term("kind", " Press Conference ").ok().as_deref(), Some("press_conference"));
        assert!(open_term("kind", "1st").is_err());
        assert!(open_term("kind", "").is_err());
        assert!(open_term("kind", "a;drop").is_err());
    }

    #[test]
    fn urls_must_be_http() {
        assert!(optional_url("url", Some("https://example.org/a")).is_ok());
        assert!(optional_url("url", Some("javascript:alert(1)")).is_err());
        assert_eq!(optional_url("url", Some("  ")).ok(), Some(None));
    }

    #[test]
    fn tags_drop_duplicates_and_name_the_bad_entry() {
        let tags = tags("tags", &["a".into(), " a ".into(), "b".into()]);
        assert_eq!(tags.ok(), Some(vec!["a".to_owned(), "b".to_owned()]));
        let error = super::tags("tags", &["a".into(), " ".into()]);
        assert!(matches!(error, Err(ServiceError::Validation { ref field, .. }) if field == "tags[1]"));
        let nul = super::tags("tags", &["a".into(), "b\0c".into()]);
        assert!(
            matches!(nul, Err(ServiceError::Validation { ref field, ref message }) if field == "tags[1]" && message.contains("NUL"))
        );
    }

    #[test]
    fn nul_characters_are_refused_in_every_text() {
        assert!(required_text("title", "a\0b", 500).is_err());
        assert!(optional_text("summary", Some("\0"), 500).is_err());
        assert_eq!(required_text("title", "a\tb", 500).ok().as_deref(), Some("a\tb"));
    }
}
