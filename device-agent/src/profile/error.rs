//! `ProfileError`: why a profile file could not be read, parsed or validated. Each error names
//! the file, and where it is about one setting, the field (`volatile[2]`, `prompt.config`).

use thiserror::Error;

/// A profile that could not be loaded. Device communication failures are
/// [`DeviceError`](crate::DeviceError)s instead.
#[derive(Debug, Error)]
pub enum ProfileError {
    /// The profiles folder or a file in it could not be read.
    #[error("{file}: cannot read: {source}")]
    Io {
        /// The folder or file.
        file: String,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML, lacks a required field, has an unknown key or a value of
    /// the wrong type (the message names the key and shows the line).
    #[error("{file}: {source}")]
    Parse {
        /// The file.
        file: String,
        /// What the TOML reader said.
        #[source]
        source: Box<toml::de::Error>,
    },
    /// A field holds a regex that does not compile.
    #[error("{file}: field `{field}`: invalid regex: {source}")]
    InvalidRegex {
        /// The file.
        file: String,
        /// The field (`errors[1]`).
        field: String,
        /// Why the regex crate refused it.
        #[source]
        source: regex::Error,
    },
    /// A regex lacks the named group its field needs (`secret`, `version`).
    #[error("{file}: field `{field}`: the regex has no named group `{group}`; wrap the value in (?P<{group}>...)")]
    MissingGroup {
        /// The file.
        file: String,
        /// The field (`secrets[0]`).
        field: String,
        /// The group it needs.
        group: &'static str,
    },
    /// A field holds a value the profile cannot use (empty, out of range, wrong name).
    #[error("{file}: field `{field}`: {message}")]
    Invalid {
        /// The file.
        file: String,
        /// The field.
        field: String,
        /// What is wrong with it.
        message: String,
    },
}

impl ProfileError {
    /// A stable, machine-readable code for this error.
    pub fn code(&self) -> &'static str {
        match self {
            ProfileError::Io { .. } => "profile.io",
            ProfileError::Parse { .. } => "profile.parse",
            ProfileError::InvalidRegex { .. } => "profile.invalid_regex",
            ProfileError::MissingGroup { .. } => "profile.missing_group",
            ProfileError::Invalid { .. } => "profile.invalid",
        }
    }
}

/// Result of loading profiles.
pub type Result<T> = std::result::Result<T, ProfileError>;
