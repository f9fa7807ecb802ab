//! Platform autodetection against real `show version` outputs (`tests/corpus/show_version`,
//! from ntc-templates, Apache-2.0), login banners and `uname -a`.

use netraven_device_agent::profile::{Detection, ProfileSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// The shipped profiles, compiled once for all tests of this file.
static BUILTIN: LazyLock<ProfileSet> = LazyLock::new(ProfileSet::builtin);

/// Corpus folders (Netmiko device types) of platforms we ship, and our profile for each.
const SHIPPED: &[(&str, &str)] = &[
    ("arista_eos", "arista_eos"),
    ("cisco_asa", "cisco_asa"),
    ("cisco_ios", "cisco_ios"),
    ("cisco_nxos", "cisco_nxos"),
    ("cisco_xr", "cisco_iosxr"),
    ("juniper_junos", "juniper_junos"),
];

/// Corpus folders of platforms we do not ship: never detected as anything.
const NOT_SHIPPED: &[&str] = &["brocade_fastiron", "dell_force10", "hp_procurve"];

/// The version each corpus file reports.
const VERSIONS: &[(&str, Option<&str>)] = &[
    ("arista_eos_show_version.raw", Some("4.14.7M")),
    ("arista_eos_show_version3.raw", Some("4.28.9M")),
    ("arista_eos_show_version_clab.raw", Some("4.32.1F-37265360.4321F")),
    ("cisco_asa_show_version1.raw", Some("9.5(2)204")),
    ("cisco_asa_show_version3.raw", Some("9.9(2)32")),
    ("cisco_ios_show_version.raw", Some("12.2(54)SG1")),
    ("cisco_ios_show_version2.raw", Some("15.3(2)S1")),
    ("cisco_ios_show_version4.raw", Some("16.9.3")),
    ("cisco_ios_show_version6.raw", Some("15.2(4.0.55)E")),
    ("cisco_ios_show_version_special_build.raw", Some("16.9.5")),
    ("cisco_nxos_show_version.raw", Some("6.1(2)I3(1)")),
    ("cisco_nxos_show_version2.raw", Some("7.1(4)N1(1)")),
    ("cisco_nxos_show_version4.raw", Some("7.0(3)I4(3)")),
    ("cisco_nxos_show_version6.raw", Some("10.3(6)")),
    ("cisco_xr_show_version.raw", Some("6.1.4")),
    ("cisco_xr_show_version_01.raw", Some("7.9.2")),
    ("cisco_xr_show_version_label.raw", Some("6.6.3")),
    ("juniper_junos_show_version.raw", Some("13.3R1.4")),
    ("juniper_junos_show_version_qfx5100.raw", Some("21.4R3-S3.4")),
    // Lists packages only, without a `Junos:` release line.
    ("juniper_junos_show_version_vmhost.raw", None),
];

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/show_version")
}

/// The `.raw` files of a corpus folder, sorted.
fn raw_files(folder: &str) -> Vec<PathBuf> {
    let dir = corpus().join(folder);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "raw"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{folder} has outputs");
    files
}

fn detect_file(profiles: &ProfileSet, path: &Path) -> Option<Detection> {
    let bytes = fs::read(path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    profiles.detect(&String::from_utf8_lossy(&bytes))
}

fn file_name(path: &Path) -> &str {
    path.file_name().and_then(|name| name.to_str()).expect("utf-8 file name")
}

#[test]
fn every_corpus_folder_is_classified() {
    for entry in fs::read_dir(corpus()).expect("corpus folder") {
        let name = entry.expect("entry").file_name().into_string().expect("utf-8 folder name");
        let known = SHIPPED.iter().any(|(folder, _)| *folder == name) || NOT_SHIPPED.contains(&name.as_str());
        assert!(known, "corpus folder {name} is neither in SHIPPED nor in NOT_SHIPPED");
    }
}

#[test]
fn every_output_of_a_shipped_platform_is_detected_as_it() {
    let profiles = &*BUILTIN;
    let mut checked = 0;
    for &(folder, profile) in SHIPPED {
        for path in raw_files(folder) {
            let found = detect_file(profiles, &path);
            let name = file_name(&path);
            assert_eq!(found.as_ref().map(|d| d.profile.as_str()), Some(profile), "{name}");
            let expected = VERSIONS.iter().find(|(file, _)| *file == name).map(|(_, version)| *version);
            let expected = expected.unwrap_or_else(|| panic!("{name} has no expected version in VERSIONS"));
            assert_eq!(found.and_then(|d| d.version).as_deref(), expected, "{name}: version");
            checked += 1;
        }
    }
    assert_eq!(checked, VERSIONS.len(), "every file is checked");
}

#[test]
fn outputs_of_platforms_we_do_not_ship_are_not_detected() {
    let profiles = &*BUILTIN;
    for folder in NOT_SHIPPED {
        for path in raw_files(folder) {
            assert_eq!(detect_file(profiles, &path), None, "{}", file_name(&path));
        }
    }
}

#[test]
fn banners_and_uname_identify_hosts_and_junos() {
    let profiles = &*BUILTIN;
    let cases: &[(&str, &str, Option<&str>)] = &[
        (
            "Linux web-01 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01) x86_64 GNU/Linux\n",
            "linux",
            Some("6.1.0-18-amd64"),
        ),
        (
            "Welcome to Ubuntu 22.04.4 LTS (GNU/Linux 5.15.0-101-generic x86_64)\n\n * Documentation:  https://help.ubuntu.com\n",
            "linux",
            Some("5.15.0-101-generic"),
        ),
        (
            "Last login: Mon Mar  2 10:00:00 2026 from 10.0.0.1\n--- JUNOS 21.4R3-S3.4 Kernel 64-bit  JNPR-12.1\n",
            "juniper_junos",
            Some("21.4R3-S3.4"),
        ),
    ];
    for &(text, profile, version) in cases {
        let found = profiles.detect(text).unwrap_or_else(|| panic!("{text:?} is detected"));
        assert_eq!((found.profile.as_str(), found.version.as_deref()), (profile, version), "{text:?}");
    }
}

#[test]
fn the_more_specific_profile_wins_and_generic_is_never_chosen() {
    let profiles = &*BUILTIN;
    // NX-OS runs on Linux: both match, the network OS has the higher priority.
    let nxos = "Cisco Nexus Operating System (NX-OS) Software\nLinux n9k 4.19.106 #1 SMP x86_64 GNU/Linux\n";
    let found = profiles.detect(nxos).expect("detected");
    assert_eq!(found.profile, "cisco_nxos");
    assert!(found.priority > profiles.detect("Linux n9k 4.19.106 #1 SMP").expect("linux").priority);
    // IOS-XR text that also mentions classic IOS is IOS-XR (cisco_ios excludes it).
    let xr = "Cisco IOS XR Software, Version 6.1.4\nCisco IOS Software compatibility notes\n";
    assert_eq!(profiles.detect(xr).map(|d| d.profile), Some("cisco_iosxr".to_string()));
    for text in ["router#", "user@host:~$", "% Invalid input detected", ""] {
        assert_eq!(profiles.detect(text), None, "{text:?}");
    }
    assert_eq!(profiles.detect_commands(), ["show version", "uname -a"]);
}

#[test]
fn a_user_profile_with_a_higher_priority_takes_precedence() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shipped = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles/cisco_ios.toml"))
        .expect("shipped file")
        .replace("name = \"cisco_ios\"", "name = \"cisco_iosxe_lab\"")
        .replace("priority = 10", "priority = 15");
    fs::write(dir.path().join("cisco_iosxe_lab.toml"), shipped).expect("write");
    let profiles = ProfileSet::load(Some(dir.path())).expect("valid");

    let iosxe = fs::read_to_string(corpus().join("cisco_ios/cisco_ios_show_version4.raw")).expect("corpus file");
    let found = profiles.detect(&iosxe).expect("detected");
    assert_eq!((found.profile.as_str(), found.priority), ("cisco_iosxe_lab", 15));
    // Both profiles match with the same score: the priority decides, not the name.
    let classic = fs::read_to_string(corpus().join("cisco_ios/cisco_ios_show_version6.raw")).expect("corpus file");
    assert_eq!(profiles.detect(&classic).map(|d| d.profile), Some("cisco_iosxe_lab".to_string()));
    let tie = BUILTIN.detect(&iosxe).expect("detected");
    assert_eq!((tie.profile.as_str(), tie.score), ("cisco_ios", 3));
}
