//! `netraven schedules list|add|pause|resume|remove`.

use super::failure::Outcome;
use super::http::Api;
use super::jobs::JobSpec;
use super::output;
use reqwest::Method;
use serde_json::json;

/// The `schedules` subcommands.
#[derive(clap::Subcommand)]
pub enum Command {
    /// List schedules.
    List {
        /// Also removed schedules.
        #[arg(long)]
        include_removed: bool,
    },
    /// Create a schedule that requests a job every so often or on a cron expression.
    Add {
        /// A name for people.
        name: String,
        /// Fire every so many seconds.
        #[arg(long, required_unless_present = "cron", conflicts_with = "cron")]
        every: Option<u64>,
        /// Fire on a cron expression (`0 2 * * *`).
        #[arg(long)]
        cron: Option<String>,
        /// The IANA time zone of --cron.
        #[arg(long, default_value = "UTC")]
        timezone: String,
        /// What to do about firings missed while NetRaven was down (`fire_once`, `catch_up`, `skip`).
        #[arg(long, default_value = "fire_once")]
        missed_runs: String,
        #[command(flatten)]
        job: JobSpec,
    },
    /// Stop a schedule from firing until resumed.
    Pause {
        /// The schedule id.
        id: String,
    },
    /// Let a paused schedule fire again.
    Resume {
        /// The schedule id.
        id: String,
    },
    /// Remove a schedule.
    Remove {
        /// The schedule id.
        id: String,
    },
}

/// Runs a `schedules` subcommand.
pub async fn run(command: Command, as_json: bool) -> Outcome {
    let api = Api::saved()?;
    let (verb, answer) = match command {
        Command::List { include_removed } => {
            let schedules = api.get("/schedules", &[("include_removed", if include_removed { "true".into() } else { String::new() })]).await?;
            if as_json {
                output::json(&schedules);
                return Ok(());
            }
            let columns: &[output::Column] = &[("NAME", "/name"), ("ID", "/schedule_id"), ("JOB", "/job_type"), ("SPEC", "/spec"), ("PAUSED", "/paused"), ("FIRED", "/fired_count"), ("LAST FIRED", "/last_fired_at"), ("LAST JOB", "/last_job_id")];
            output::table(columns, schedules.as_array().map(Vec::as_slice).unwrap_or_default());
            return Ok(());
        }
        Command::Add { name, every, cron, timezone, missed_runs, job } => {
            let spec = match (every, cron) {
                (Some(secs), _) => json!({ "kind": "interval", "every_secs": secs }),
                (None, expression) => json!({ "kind": "cron", "expression": expression, "timezone": timezone }),
            };
            ("created", api.post("/schedules", &json!({ "name": name, "spec": spec, "missed_runs": missed_runs, "job": job.body() })).await?)
        }
        Command::Pause { id } => ("paused", api.post(&format!("/schedules/{id}/pause"), &json!({})).await?),
        Command::Resume { id } => ("resumed", api.post(&format!("/schedules/{id}/resume"), &json!({})).await?),
        Command::Remove { id } => ("removed", api.json(api.request(Method::DELETE, api.url(&format!("/schedules/{id}"), &[])?)).await?),
    };
    match as_json {
        true => output::json(&answer),
        false => println!("schedule {} {verb}", output::cell(answer.get("schedule_id"))),
    }
    Ok(())
}
