//! The engines the search benchmark compares NetRaven's index with: SQLite FTS5 over the same
//! entries, and ripgrep scanning the same text written as files (one per device's logs, one per
//! configuration version).

use crate::search_corpus::{Doc, device_name};
use anyhow::{Context, Result, bail};
use rusqlite::{Connection, params};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// SQLite FTS5 with the default `unicode61` tokenizer.
pub struct Fts5 {
    conn: Connection,
}

impl Fts5 {
    /// A new FTS5 table in `path`.
    pub fn create(path: &Path) -> Result<Self> {
        let conn = Connection::open(path)?;
        conn.execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
             CREATE VIRTUAL TABLE docs USING fts5(text, kind UNINDEXED, level UNINDEXED, device UNINDEXED, latest UNINDEXED);",
        )?;
        Ok(Fts5 { conn })
    }

    /// Inserts documents in one transaction.
    pub fn insert(&mut self, docs: &[Doc]) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut insert = tx.prepare_cached("INSERT INTO docs (text, kind, level, device, latest) VALUES (?1, ?2, ?3, ?4, ?5)")?;
            for d in docs {
                insert.execute(params![d.text, d.kind, d.level, d.device as i64, d.latest as i64])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Total matches and the 20 best with snippets, like one page of a NetRaven search.
    pub fn search(&self, matcher: &str, filter: &str) -> Result<usize> {
        let filter = if filter.is_empty() { String::new() } else { format!(" AND {filter}") };
        let total: i64 = self.conn.query_row(&format!("SELECT count(*) FROM docs WHERE docs MATCH ?1{filter}"), [matcher], |r| r.get(0))?;
        let page = format!("SELECT rowid, snippet(docs, 0, '<b>', '</b>', '…', 24) FROM docs WHERE docs MATCH ?1{filter} ORDER BY rank LIMIT 20");
        let mut stmt = self.conn.prepare_cached(&page)?;
        let rows = stmt.query_map([matcher], |r| r.get::<_, String>(1))?.count();
        std::hint::black_box(rows);
        Ok(total as usize)
    }
}

/// The corpus as plain files for ripgrep.
pub struct Files {
    root: PathBuf,
    logs: HashMap<usize, std::io::BufWriter<std::fs::File>>,
    versions: HashMap<usize, usize>,
}

impl Files {
    /// Files under `root` (`logs/<device>.log`, `configs/<device>/v<n>.cfg`, `latest/<device>.cfg`).
    pub fn create(root: &Path) -> Result<Self> {
        for dir in ["logs", "configs", "latest"] {
            std::fs::create_dir_all(root.join(dir))?;
        }
        Ok(Files { root: root.to_path_buf(), logs: HashMap::new(), versions: HashMap::new() })
    }

    /// Writes documents.
    pub fn write(&mut self, docs: &[Doc]) -> Result<()> {
        for d in docs {
            if d.kind == "log" {
                let file = match self.logs.get_mut(&d.device) {
                    Some(f) => f,
                    None => {
                        let f = std::fs::File::create(self.root.join("logs").join(format!("{}.log", device_name(d.device))))?;
                        self.logs.entry(d.device).or_insert(std::io::BufWriter::new(f))
                    }
                };
                writeln!(file, "{} {}", d.prefix, d.text)?;
            } else {
                let version = self.versions.entry(d.device).or_insert(0);
                let dir = self.root.join("configs").join(device_name(d.device));
                std::fs::create_dir_all(&dir)?;
                std::fs::write(dir.join(format!("v{version}.cfg")), &d.text)?;
                *version += 1;
                if d.latest {
                    std::fs::write(self.root.join("latest").join(format!("{}.cfg", device_name(d.device))), &d.text)?;
                }
            }
        }
        Ok(())
    }

    /// Flushes the log files.
    pub fn finish(&mut self) -> Result<()> {
        for f in self.logs.values_mut() {
            f.flush()?;
        }
        Ok(())
    }

    /// Runs `rg --count <args> <paths>` and sums the matching lines.
    pub fn rg(&self, args: &[&str], paths: &[&str]) -> Result<usize> {
        let out = Command::new("rg").arg("--count").arg("--no-filename").args(args).args(paths.iter().map(|p| self.root.join(p))).output().context("running rg (scripts/setup installs ripgrep)")?;
        if !out.status.success() && out.status.code() != Some(1) {
            bail!("rg failed: {}", String::from_utf8_lossy(&out.stderr));
        }
        Ok(String::from_utf8_lossy(&out.stdout).lines().filter_map(|l| l.trim().parse::<usize>().ok()).sum())
    }
}
