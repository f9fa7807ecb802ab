//! `docker-compose.yml` and its references, checked without a Docker engine (none runs on
//! these machines): every service's command is a `netraven` subcommand whose flags the binary
//! accepts, every `NETRAVEN_*` variable is one the code reads, and the Dockerfile it builds
//! is multi-stage and runs as a non-root user.

use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_service_command_is_a_netraven_subcommand_with_accepted_flags() {
    let compose = std::fs::read_to_string(root().join("docker-compose.yml")).unwrap();
    let commands: Vec<Vec<String>> = compose
        .lines()
        .filter_map(|l| l.trim().strip_prefix("command: [").and_then(|r| r.strip_suffix(']')))
        .map(|list| list.split(',').map(|a| a.trim().trim_matches('"').to_string()).collect())
        .collect();
    assert!(commands.len() >= 5, "each component is a service: {commands:?}");
    for args in &commands {
        let mut probe = args.clone();
        probe.push("--help".into());
        let out = Command::new(env!("CARGO_BIN_EXE_netraven")).args(&probe).output().unwrap();
        assert!(out.status.success(), "`netraven {}` is refused: {}", probe.join(" "), String::from_utf8_lossy(&out.stderr));
    }
    let names: Vec<&str> = commands.iter().map(|c| c[0].as_str()).collect();
    for component in ["command-handler", "scheduler", "device-agent", "projector", "query-api"] {
        assert!(names.contains(&component), "no service runs `{component}`");
    }
}

#[test]
fn every_variable_is_read_by_the_code_and_the_image_is_multi_stage_and_non_root() {
    let compose = std::fs::read_to_string(root().join("docker-compose.yml")).unwrap();
    let mut code = String::new();
    for dir in ["src", "command-handler/src", "events/src", "device-agent/src"] {
        for entry in walk(&root().join(dir)) {
            code.push_str(&std::fs::read_to_string(entry).unwrap());
        }
    }
    for var in compose.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).filter(|w| w.starts_with("NETRAVEN_") && w.len() > "NETRAVEN_".len()) {
        assert!(code.contains(&format!("\"{var}\"")), "{var} in docker-compose.yml is read by no code");
    }
    assert!(compose.contains("build: ."));
    let dockerfile = std::fs::read_to_string(root().join("Dockerfile")).unwrap();
    assert!(dockerfile.matches("FROM ").count() >= 2, "multi-stage build");
    assert!(dockerfile.contains("USER netraven"), "runs as a non-root user");
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}
