//! Pure decisions: given the registry, when a command arrives, then the events it causes or
//! the error that refuses it. No I/O here; the HTTP layer appends what these return.

pub mod credentials;
pub mod devices;
pub mod jobs;
pub mod schedules;

use netraven_api::ApiError;

/// Checks a free-text field: trimmed, not empty, at most `max` characters.
pub(crate) fn text(field: &str, value: &str, max: usize) -> Result<String, ApiError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(ApiError::invalid(field, "must not be empty"));
    }
    if value.chars().count() > max {
        return Err(ApiError::invalid(field, format!("must be at most {max} characters")));
    }
    if value.chars().any(char::is_control) {
        return Err(ApiError::invalid(field, "must not contain control characters"));
    }
    Ok(value.to_string())
}

/// Checks tags: each a non-empty word of letters, digits, `-`, `_`, `.`, `:` or `/`.
pub(crate) fn tags(field: &str, tags: &[String]) -> Result<Vec<String>, ApiError> {
    let mut out: Vec<String> = Vec::with_capacity(tags.len());
    for tag in tags {
        let ok = !tag.is_empty() && tag.len() <= 64 && tag.chars().all(|c| c.is_alphanumeric() || "-_.:/".contains(c));
        if !ok {
            return Err(ApiError::invalid(field, format!("`{tag}` is not a tag (letters, digits, - _ . : /, at most 64)")));
        }
        if !out.contains(tag) {
            out.push(tag.clone());
        }
    }
    Ok(out)
}

#[cfg(test)]
pub(crate) mod given;

#[cfg(test)]
mod tests;
