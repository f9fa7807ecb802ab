//! The user's profiles folder: overriding a shipped profile, adding a new one, and the errors
//! a bad file gives (each naming the file and the field).

use netraven_device_agent::profile::{ProfileError, ProfileSet, ProfileSource, PromptKind};
use std::fs;
use std::path::Path;

/// How many profiles are shipped.
const SHIPPED_PROFILES: usize = 8;

/// A complete, valid user profile called `name`.
fn user_profile(name: &str) -> String {
    format!(
        r#"
name = "{name}"
description = "Lab switches with a custom CLI"
default_protocol = "telnet"
default_port = 2323
errors = ['^\s*Bad command']
volatile = ['^# generated at ']
secrets = ['(?m)^api-token (?P<secret>\S+)']

[prompt]
user = '^(?P<host>[\w.-]+)>$'
privileged = '^(?P<host>[\w.-]+)#$'
config = '^(?P<host>[\w.-]+)\(cfg\)#$'

[paging]
disable_commands = ["pager off"]
more_pattern = '-- more --$'

[privilege]
enable_command = "su"
password_prompt = '^Secret:$'

[config_mode]
enter = "config"
exit = "exit"

[backup]
commands = ["dump config"]
strip = ['^Dumping\.\.\.$']

[detect]
command = "show version"
patterns = ['LabOS']
priority = 5
version = 'LabOS (?P<version>\S+)'
"#
    )
}

fn write(dir: &Path, file: &str, text: &str) {
    fs::write(dir.join(file), text).expect("write profile file");
}

fn load_error(file: &str, text: &str) -> ProfileError {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), file, text);
    ProfileSet::load(Some(dir.path())).expect_err("the file is invalid")
}

#[test]
fn a_user_file_overrides_a_shipped_profile_by_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles/juniper_junos.toml"))
        .expect("shipped file")
        .replace(r#"commands = ["show configuration"]"#, r#"commands = ["show configuration | display set"]"#);
    write(dir.path(), "juniper_junos.toml", &text);

    let set = ProfileSet::load(Some(dir.path())).expect("valid override");
    let junos = set.get("juniper_junos").expect("still there");
    assert_eq!(junos.spec().backup.commands, ["show configuration | display set"]);
    assert_eq!(junos.source(), &ProfileSource::File(dir.path().join("juniper_junos.toml")));
    assert_eq!(set.len(), SHIPPED_PROFILES, "replaced, not added");
    assert!(matches!(set.get("cisco_ios").map(|p| p.source()), Some(ProfileSource::Builtin(_))));
}

#[test]
fn a_user_file_adds_a_new_profile_and_other_files_are_ignored() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "labos.toml", &user_profile("labos"));
    write(dir.path(), "README.md", "not a profile");
    write(dir.path(), "labos.toml.bak", "name = 'broken");
    fs::create_dir(dir.path().join("old.toml")).expect("a folder named like a profile");

    let set = ProfileSet::load(Some(dir.path())).expect("valid folder");
    assert_eq!(set.len(), SHIPPED_PROFILES + 1);
    let labos = set.get("labos").expect("added");
    assert_eq!(labos.match_prompt("sw1(cfg)#"), Some(PromptKind::Config));
    assert_eq!(labos.prompt_match("sw1>").and_then(|m| m.host), Some("sw1"));
    assert!(labos.is_password_prompt("Secret:") && labos.is_more_prompt("line\n-- more --"));
    assert_eq!(labos.find_error("Bad command: dmup"), Some("Bad command: dmup"));
    assert_eq!(labos.normalize_for_hash("Dumping...\n# generated at 10:00\nvlan 10\n"), "vlan 10\n");
    assert_eq!(labos.secret_patterns().collect::<Vec<_>>(), [r"(?m)^api-token (?P<secret>\S+)"]);

    let found = set.detect("LabOS 2.1 (build 77)").expect("detected");
    assert_eq!((found.profile.as_str(), found.version.as_deref()), ("labos", Some("2.1")));
    assert!(set.names().any(|name| name == "labos"));
}

#[test]
fn unknown_keys_are_named() {
    let text = user_profile("labos").replace("[paging]", "[paging]\nmore_patern = 'x'");
    let err = load_error("labos.toml", &text);
    assert_eq!(err.code(), "profile.parse");
    let message = err.to_string();
    assert!(message.contains("labos.toml") && message.contains("unknown field `more_patern`"), "{message}");
}

#[test]
fn missing_required_fields_are_named() {
    let text = user_profile("labos").replace("privileged = '^(?P<host>[\\w.-]+)#$'\n", "");
    let message = load_error("labos.toml", &text).to_string();
    assert!(message.contains("labos.toml") && message.contains("missing field `privileged`"), "{message}");

    let text = user_profile("labos").replace("default_port = 2323\n", "");
    let message = load_error("labos.toml", &text).to_string();
    assert!(message.contains("missing field `default_port`"), "{message}");
}

#[test]
fn invalid_regexes_are_named_with_their_field() {
    let text = user_profile("labos").replace(r"'^# generated at '", r"'^# generated at (unclosed'");
    let err = load_error("labos.toml", &text);
    assert_eq!(err.code(), "profile.invalid_regex");
    let message = err.to_string();
    assert!(message.contains("labos.toml: field `volatile[0]`: invalid regex"), "{message}");

    let text = user_profile("labos").replace(r"'^(?P<host>[\w.-]+)\(cfg\)#$'", r"'^(?P<host>[\w.-]+\(cfg\)#$'");
    let message = load_error("labos.toml", &text).to_string();
    assert!(message.contains("field `prompt.config`"), "{message}");
}

#[test]
fn secret_patterns_need_a_secret_group() {
    let text = user_profile("labos").replace(r"(?P<secret>\S+)", r"(\S+)");
    let err = load_error("labos.toml", &text);
    assert_eq!(err.code(), "profile.missing_group");
    let message = err.to_string();
    assert!(message.contains("labos.toml: field `secrets[0]`") && message.contains("`secret`"), "{message}");
}

#[test]
fn other_invalid_values_are_named() {
    let cases = [
        (user_profile("labos").replace("default_port = 2323", "default_port = 0"), "default_port"),
        (user_profile("labos").replace("'LabOS (?P<version>", "'LabOS ((?P<v>"), "detect.version"),
        (user_profile("labos").replace("patterns = ['LabOS']", "patterns = []"), "detect.patterns"),
        (user_profile("labos").replace("enter = \"config\"", "enter = \" \""), "config_mode.enter"),
        (user_profile("labos").replace("errors = ['^\\s*Bad command']", "errors = ['']"), "errors[0]"),
    ];
    for (text, field) in cases {
        let message = load_error("labos.toml", &text).to_string();
        assert!(message.contains(&format!("labos.toml: field `{field}`")), "{field}: {message}");
    }
    let err = load_error("labos.toml", &user_profile("cisco_ios"));
    assert!(err.to_string().contains("must equal the file name `labos`"), "{err}");
    let err = load_error("labos.toml", "name = 'labos");
    assert_eq!(err.code(), "profile.parse");
}

#[test]
fn the_example_in_the_documentation_is_a_working_user_profile() {
    let doc = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/profiles.md")).expect("docs");
    let start = doc.find("```toml\n").expect("a toml block") + "```toml\n".len();
    let example = &doc[start..start + doc[start..].find("```").expect("closed block")];
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "huawei_vrp.toml", example);

    let set = ProfileSet::load(Some(dir.path())).expect("the documented example is valid");
    let vrp = set.get("huawei_vrp").expect("added");
    assert_eq!(
        vrp.prompt_match("display clock\n<CE-core-1>").map(|m| (m.kind, m.host)),
        Some((PromptKind::Privileged, Some("CE-core-1")))
    );
    assert_eq!(vrp.match_prompt("[~CE-core-1-GE1/0/1]"), Some(PromptKind::Config));
    assert!(vrp.is_more_prompt("sysname CE-core-1\n  ---- More ----"));
    assert!(vrp.find_error("Error: Unrecognized command found at '^' position.").is_some());
    let banner =
        "Huawei Versatile Routing Platform Software\nVRP (R) software, Version 8.180 (CE6850EI V200R005C10SPC800)\n";
    let found = set.detect(banner).expect("detected");
    assert_eq!((found.profile.as_str(), found.version.as_deref()), ("huawei_vrp", Some("8.180")));
}
