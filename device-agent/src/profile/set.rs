//! `ProfileSet`: the shipped profiles embedded in the binary, plus the user's profiles folder
//! where a file adds a profile or replaces a shipped one of the same name.

use super::compiled::{Profile, ProfileSource};
use super::error::{ProfileError, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The shipped profiles: file name and text of each file of `device-agent/profiles/`.
const BUILTIN: &[(&str, &str)] = &[
    ("arista_eos.toml", include_str!("../../profiles/arista_eos.toml")),
    ("cisco_asa.toml", include_str!("../../profiles/cisco_asa.toml")),
    ("cisco_ios.toml", include_str!("../../profiles/cisco_ios.toml")),
    ("cisco_iosxr.toml", include_str!("../../profiles/cisco_iosxr.toml")),
    ("cisco_nxos.toml", include_str!("../../profiles/cisco_nxos.toml")),
    ("generic.toml", include_str!("../../profiles/generic.toml")),
    ("juniper_junos.toml", include_str!("../../profiles/juniper_junos.toml")),
    ("linux.toml", include_str!("../../profiles/linux.toml")),
];

/// The profiles the agent knows, by name.
#[derive(Clone, Debug)]
pub struct ProfileSet {
    profiles: BTreeMap<String, Profile>,
}

impl ProfileSet {
    /// The shipped profiles only.
    pub fn builtin() -> ProfileSet {
        let profiles = BUILTIN
            .iter()
            .map(|(file, text)| {
                let profile = Profile::parse(ProfileSource::Builtin(file), text)
                    .unwrap_or_else(|err| panic!("shipped profiles are valid (checked by tests): {err}"));
                (profile.name().to_string(), profile)
            })
            .collect();
        ProfileSet { profiles }
    }

    /// The shipped profiles, plus every `*.toml` file of `user_dir` when given (the
    /// `profiles_dir` setting, `NETRAVEN_PROFILES_DIR`). A user file whose name is that of a
    /// shipped profile replaces it whole (nothing is merged); other names add profiles.
    /// Other files and sub-folders are ignored.
    ///
    /// Fails on the first file that cannot be read or is not a valid profile, and when
    /// `user_dir` cannot be read (a folder that does not exist is an error, so that a mistyped
    /// path does not silently fall back to the shipped profiles).
    pub fn load(user_dir: Option<&Path>) -> Result<ProfileSet> {
        let mut set = ProfileSet::builtin();
        if let Some(dir) = user_dir {
            for path in profile_files(dir)? {
                let text = std::fs::read_to_string(&path).map_err(|source| io_error(&path, source))?;
                let profile = Profile::parse(ProfileSource::File(path), &text)?;
                set.profiles.insert(profile.name().to_string(), profile);
            }
        }
        Ok(set)
    }

    /// The profile called `name`.
    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// The profiles' names, in alphabetical order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.profiles.keys().map(String::as_str)
    }

    /// The profiles, in alphabetical order of name.
    pub fn iter(&self) -> impl Iterator<Item = &Profile> {
        self.profiles.values()
    }

    /// How many profiles there are.
    pub fn len(&self) -> usize {
        self.profiles.len()
    }

    /// Whether there are none (never true of a loaded set: the shipped profiles are in it).
    pub fn is_empty(&self) -> bool {
        self.profiles.is_empty()
    }
}

/// The `*.toml` regular files of `dir`, sorted by name.
fn profile_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|source| io_error(dir, source))? {
        let path = entry.map_err(|source| io_error(dir, source))?.path();
        if path.extension().is_some_and(|ext| ext == "toml") && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn io_error(path: &Path, source: std::io::Error) -> ProfileError {
    ProfileError::Io { file: path.display().to_string(), source }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_profile_is_embedded_under_its_name() {
        let set = ProfileSet::builtin();
        assert_eq!(set.len(), BUILTIN.len());
        for (file, _) in BUILTIN {
            let name = file.trim_end_matches(".toml");
            let profile = set.get(name).unwrap_or_else(|| panic!("{name} is loaded"));
            assert_eq!(profile.source(), &ProfileSource::Builtin(file));
        }
    }

    #[test]
    fn a_missing_user_folder_is_an_error() {
        let err = ProfileSet::load(Some(Path::new("/nonexistent/netraven-profiles"))).expect_err("no such folder");
        assert_eq!(err.code(), "profile.io");
        assert!(err.to_string().starts_with("/nonexistent/netraven-profiles: cannot read"), "{err}");
    }
}
