//! `netraven login`: trades a user name and password for a token and saves it.

use super::failure::{FAILED, Failure, Outcome};
use super::http::Api;
use super::{config, output};
use serde_json::json;
use std::io::{BufRead, IsTerminal, Write};

/// Arguments of `login`.
#[derive(clap::Args)]
pub struct Args {
    /// The server's URL (`http://127.0.0.1:8080`).
    #[arg(long, env = "NETRAVEN_SERVER")]
    server: String,
    /// The user name.
    #[arg(long, env = "NETRAVEN_USER")]
    user: String,
    /// Read the password from the first line of standard input.
    #[arg(long)]
    password_stdin: bool,
    /// Print the answer as JSON (the token is not printed).
    #[arg(long)]
    json: bool,
}

/// Logs in and saves `{server, token}`.
pub async fn run(args: Args) -> Outcome {
    let password = password(args.password_stdin)?;
    let api = Api::new(&args.server);
    let answer = api.post("/auth/token", &json!({ "username": args.user, "password": password })).await?;
    let token = answer["access_token"].as_str().ok_or_else(|| Failure::new(FAILED, format!("the server's answer has no access_token: {answer}")))?;
    let path = config::save(&config::Saved { server: api.server().to_string(), token: token.to_string() })?;
    if args.json {
        output::json(&json!({ "server": api.server(), "user": args.user, "role": answer["role"], "expires_in": answer["expires_in"], "saved_to": path }));
    } else {
        println!("logged in to {} as {} (role {}); token saved to {}", api.server(), args.user, output::cell(answer.get("role")), path.display());
    }
    Ok(())
}

/// The password: from stdin when asked, else `NETRAVEN_PASSWORD`, else a prompt on a terminal.
fn password(from_stdin: bool) -> Outcome<String> {
    let stdin = std::io::stdin();
    if !from_stdin {
        if let Ok(password) = std::env::var("NETRAVEN_PASSWORD") {
            return Ok(password);
        }
        if !stdin.is_terminal() {
            return Err(Failure::new(FAILED, "no password given").hint("pass it with --password-stdin or NETRAVEN_PASSWORD"));
        }
        eprint!("password: ");
        let _ = std::io::stderr().flush();
    }
    let echo_off = !from_stdin && set_echo(false);
    let mut line = String::new();
    let read = stdin.lock().read_line(&mut line);
    if echo_off {
        set_echo(true);
        eprintln!();
    }
    read.map_err(|e| Failure::new(FAILED, format!("cannot read the password: {e}")))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// Turns the terminal's echo on or off with `stty`; whether it worked.
fn set_echo(on: bool) -> bool {
    let flag = if on { "echo" } else { "-echo" };
    std::process::Command::new("stty").arg(flag).stdin(std::process::Stdio::inherit()).status().is_ok_and(|s| s.success())
}
