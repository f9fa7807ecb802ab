//! What each job type does on a connected session: `backup` captures the configuration,
//! `command` runs the job's commands (in configuration mode when asked), `detect` identifies
//! the platform. Captured text always passes the profile's redaction filter.

use super::{Attempt, DeviceRecord};
use crate::backup;
use crate::profile::Profile;
use crate::protocol::ProtocolAdapter;
use crate::DeviceError;
use netraven_events::catalog::{CommandOutputCaptured, ConfigCaptured, DevicePlatformDetected, JobType, LogLevel};

/// Runs the attempt's job type; returns a one-line summary.
pub(super) async fn run(attempt: &mut Attempt<'_>, session: &mut dyn ProtocolAdapter, profile: &Profile, device: &DeviceRecord) -> Result<String, DeviceError> {
    match attempt.job.job_type {
        JobType::Backup => run_backup(attempt, session, profile, device).await,
        JobType::Command => run_commands(attempt, session, profile, device).await,
        JobType::Detect => run_detect(attempt, session, device).await,
    }
}

async fn run_backup(attempt: &mut Attempt<'_>, session: &mut dyn ProtocolAdapter, profile: &Profile, device: &DeviceRecord) -> Result<String, DeviceError> {
    let filter = attempt.executor.filters.get(profile)?;
    let config = backup::capture(session, profile, &filter).await?;
    let size_bytes = config.content.len() as u64;
    let (job_id, attempt_no) = (attempt.job.job_id, attempt.job.attempt);
    attempt.push(ConfigCaptured {
        job_id,
        attempt: attempt_no,
        device_id: device.device_id,
        content: config.content,
        content_hash: config.content_hash,
        size_bytes,
        filter_version: config.filter_version,
    });
    Ok(format!("backup of {size_bytes} bytes"))
}

async fn run_commands(attempt: &mut Attempt<'_>, session: &mut dyn ProtocolAdapter, profile: &Profile, device: &DeviceRecord) -> Result<String, DeviceError> {
    let commands = attempt.job.parameters.commands.clone();
    if commands.is_empty() {
        return Err(DeviceError::CommandRejected { command: String::new(), output: "the job gives no commands".into() });
    }
    let config_mode = match attempt.job.parameters.config_mode {
        false => None,
        true => Some(profile.spec().config_mode.clone().ok_or_else(|| DeviceError::CommandRejected {
            command: commands[0].clone(),
            output: format!("the {} profile has no configuration mode", profile.name()),
        })?),
    };
    let filter = attempt.executor.filters.get(profile)?;
    if let Some(mode) = &config_mode {
        attempt.log(LogLevel::Info, "execution", format!("entering configuration mode (`{}`)", mode.enter));
        session.send_command(&mode.enter).await?;
    }
    for command in &commands {
        attempt.log(LogLevel::Info, "execution", format!("running `{command}`"));
        let output = session.send_command(command).await?;
        let (job_id, attempt_no) = (attempt.job.job_id, attempt.job.attempt);
        attempt.push(CommandOutputCaptured {
            job_id,
            attempt: attempt_no,
            device_id: device.device_id,
            command: filter.redact_text(command).into_owned(),
            output: filter.redact_text(&output).into_owned(),
            filter_version: filter.version(),
        });
    }
    if let Some(mode) = &config_mode {
        for step in mode.commit.iter().chain([&mode.exit]) {
            attempt.log(LogLevel::Info, "execution", format!("leaving configuration mode (`{step}`)"));
            session.send_command(step).await?;
        }
    }
    Ok(format!("{} command(s) run", commands.len()))
}

async fn run_detect(attempt: &mut Attempt<'_>, session: &mut dyn ProtocolAdapter, device: &DeviceRecord) -> Result<String, DeviceError> {
    let executor = attempt.executor;
    let profiles = &executor.profiles;
    let commands: Vec<String> = profiles.detect_commands().into_iter().map(str::to_string).collect();
    let mut text = String::new();
    for command in &commands {
        attempt.log(LogLevel::Info, "execution", format!("running `{command}` to identify the platform"));
        match session.send_command(command).await {
            Ok(output) => text.push_str(&output),
            Err(DeviceError::CommandRejected { .. }) => continue,
            Err(err) => return Err(err),
        }
        let Some(found) = profiles.detect(&text) else { continue };
        let summary = match &found.version {
            Some(version) => format!("platform {} version {version}", found.profile),
            None => format!("platform {}", found.profile),
        };
        let job_id = attempt.job.job_id;
        attempt.push(DevicePlatformDetected { device_id: device.device_id, job_id, platform: found.profile, software_version: found.version });
        return Ok(summary);
    }
    Err(DeviceError::CommandRejected { command: commands.join(", "), output: "no platform profile recognised the output".into() })
}
