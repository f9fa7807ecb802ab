//! `netraven jobs run|list|show|cancel|watch`.

use super::failure::{NOT_FOUND, Outcome};
use super::http::Api;
use super::{Paging, output, watch};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// The columns of a job table.
const COLUMNS: &[output::Column] = &[("ID", "/job_id"), ("TYPE", "/job_type"), ("STATUS", "/status"), ("DEVICE", "/device_id"), ("CREATED", "/created_at"), ("SUMMARY", "/summary"), ("ERROR", "/error/message")];

/// The fields `jobs show` prints.
const FIELDS: &[output::Column] = &[
    ("id", "/job_id"), ("type", "/job_type"), ("status", "/status"), ("device", "/device_id"), ("parent", "/parent_job_id"), ("actor", "/actor"),
    ("attempts", "/attempts"), ("created", "/created_at"), ("started", "/started_at"), ("finished", "/finished_at"), ("duration ms", "/duration_ms"),
    ("summary", "/summary"), ("error", "/error/message"), ("correlation id", "/correlation_id"),
];

/// Job types the client can start.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum JobType {
    /// Capture the running configuration.
    Backup,
    /// Run commands (--command).
    Command,
    /// Detect the platform.
    Detect,
}

/// What a job does and on which devices (`jobs run`, `schedules add`).
#[derive(clap::Args)]
pub struct JobSpec {
    /// What to do.
    #[arg(value_enum)]
    job_type: JobType,
    /// A device id (repeat for several).
    #[arg(long = "device", required_unless_present = "tags", conflicts_with = "tags")]
    devices: Vec<String>,
    /// A tag the devices must carry (repeat for several: all must match).
    #[arg(long = "tag")]
    tags: Vec<String>,
    /// A command to run (`command` jobs; repeat for several).
    #[arg(long = "command")]
    commands: Vec<String>,
}

impl JobSpec {
    /// The body of `POST /jobs`.
    pub fn body(&self) -> Value {
        let target = match (self.devices.as_slice(), self.tags.is_empty()) {
            ([one], _) => json!({ "kind": "device", "device_id": one }),
            ([], false) => json!({ "kind": "tags", "tags": self.tags }),
            (many, _) => json!({ "kind": "devices", "device_ids": many }),
        };
        let kind = clap::ValueEnum::to_possible_value(&self.job_type).map(|v| v.get_name().to_string()).unwrap_or_default();
        json!({ "type": kind, "target": target, "commands": self.commands })
    }
}

/// The `jobs` subcommands.
#[derive(clap::Subcommand)]
pub enum Command {
    /// Start a job on one device, several devices, or every device with some tags.
    Run {
        #[command(flatten)]
        job: JobSpec,
        /// Follow the job until it ends (exit 1 when it fails).
        #[arg(long)]
        watch: bool,
    },
    /// List jobs, newest first.
    List {
        /// Only jobs in this status (`running`, `failed`, ...).
        #[arg(long)]
        status: Option<String>,
        /// Only jobs of this type.
        #[arg(long = "type")]
        job_type: Option<String>,
        /// Only jobs on this device.
        #[arg(long)]
        device: Option<String>,
        #[command(flatten)]
        paging: Paging,
    },
    /// Show a job and its logs.
    Show {
        /// The job id.
        id: String,
    },
    /// Cancel a job.
    Cancel {
        /// The job id.
        id: String,
        /// Why (recorded in the event log).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Follow a job's events until it ends; exit 0 when it succeeded, 1 otherwise.
    Watch {
        /// The job id.
        id: String,
    },
}

/// Runs a `jobs` subcommand.
pub async fn run(command: Command, as_json: bool) -> Outcome {
    let api = Api::saved()?;
    match command {
        Command::Run { job, watch } => {
            let job = api.post("/jobs", &job.body()).await?;
            let id = job["id"].as_str().unwrap_or_default().to_string();
            match as_json {
                true => output::json(&job),
                false => println!("job {id} ({}) {}", output::cell(job.get("type")), output::cell(job.get("status"))),
            }
            if watch {
                return watch::follow(&api, &id, as_json).await;
            }
        }
        Command::List { status, job_type, device, paging } => {
            let query = paging.query(&[("status", status.unwrap_or_default()), ("type", job_type.unwrap_or_default()), ("device", device.unwrap_or_default())]);
            output::page(as_json, COLUMNS, &api.get("/jobs", &query).await?);
        }
        Command::Show { id } => {
            let job = fetch(&api, &id).await?;
            let logs = api.get(&format!("/jobs/{id}/logs"), &[("limit", "500".into())]).await?;
            if as_json {
                output::json(&json!({ "job": job, "logs": logs }));
                return Ok(());
            }
            output::record(FIELDS, &job);
            println!();
            output::page(false, &[("TIME", "/timestamp"), ("LEVEL", "/level"), ("SOURCE", "/source_component"), ("MESSAGE", "/message")], &logs);
        }
        Command::Cancel { id, reason } => {
            let job = api.post(&format!("/jobs/{id}/cancel"), &json!({ "reason": reason })).await?;
            match as_json {
                true => output::json(&job),
                false => println!("job {id}: {}", output::cell(job.get("status"))),
            }
        }
        Command::Watch { id } => {
            fetch(&api, &id).await?;
            return watch::follow(&api, &id, as_json).await;
        }
    }
    Ok(())
}

/// A job from the read side, which may lag a moment behind a job just started.
async fn fetch(api: &Api, id: &str) -> Outcome<Value> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match api.get(&format!("/jobs/{id}"), &[]).await {
            Err(failure) if failure.code == NOT_FOUND && Instant::now() < deadline => tokio::time::sleep(Duration::from_millis(250)).await,
            other => return other,
        }
    }
}
