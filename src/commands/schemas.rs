//! `netraven schemas write|check`: keeps `schemas/` equal to the catalog and the OpenAPI
//! document the code defines.

use anyhow::{Result, bail};
use netraven_events::schema;
use std::path::PathBuf;

/// Schema file commands.
#[derive(clap::Subcommand)]
pub enum Command {
    /// Regenerate the schema files (refuses breaking changes to published versions).
    Write {
        /// The schema folder.
        #[arg(long, default_value = "schemas")]
        dir: PathBuf,
    },
    /// Fail if the schema files differ from what the code generates.
    Check {
        /// The schema folder.
        #[arg(long, default_value = "schemas")]
        dir: PathBuf,
    },
}

/// Runs a schema command.
pub fn run(command: Command) -> Result<()> {
    match command {
        Command::Write { dir } => {
            let drift = schema::write(&dir)?;
            let openapi = dir.join(crate::openapi::FILE);
            std::fs::create_dir_all(openapi.parent().unwrap_or(&dir))?;
            std::fs::write(&openapi, crate::openapi::text())?;
            println!(
                "schemas written to {}: {} new, {} updated",
                dir.display(),
                drift.missing.len(),
                drift.changed.len()
            );
        }
        Command::Check { dir } => {
            let drift = schema::check(&dir)?;
            if !drift.is_clean() {
                bail!("schemas in {} differ from the code: {drift:?}; run `netraven schemas write`", dir.display());
            }
            let openapi = dir.join(crate::openapi::FILE);
            if std::fs::read_to_string(&openapi).ok().as_deref() != Some(crate::openapi::text().as_str()) {
                bail!("{} differs from the API the code serves; run `netraven schemas write`", openapi.display());
            }
            println!("schemas in {} match the code", dir.display());
        }
    }
    Ok(())
}
