//! Projection checkpoints: the log position each projection has applied, stored in the view
//! database so that it commits atomically with the view rows it covers.

use netraven_events::Position;
use rusqlite::{Connection, OptionalExtension, Transaction};
use crate::Error;

/// Checkpoint table access.
pub struct Checkpoints;

impl Checkpoints {
    /// Creates the checkpoint table if it does not exist.
    pub fn init(conn: &Connection) -> Result<(), Error> {
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS projection_checkpoints (
                projection TEXT PRIMARY KEY,
                position   TEXT NOT NULL
            )",
        )?;
        Ok(())
    }

    /// The position `projection` has applied (the log's start if it never ran).
    pub fn load(conn: &Connection, projection: &str) -> Result<Position, Error> {
        let text: Option<String> = conn
            .query_row(
                "SELECT position FROM projection_checkpoints WHERE projection = ?1",
                [projection],
                |r| r.get(0),
            )
            .optional()?;
        Ok(text.map(|t| t.parse()).transpose()?.unwrap_or_default())
    }

    /// Records `position` inside `tx`, the transaction that also writes the view rows.
    pub fn store(tx: &Transaction<'_>, projection: &str, position: &Position) -> Result<(), Error> {
        tx.execute(
            "INSERT INTO projection_checkpoints (projection, position) VALUES (?1, ?2)
             ON CONFLICT (projection) DO UPDATE SET position = excluded.position",
            [projection, &position.to_string()],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_commits_or_rolls_back_with_its_transaction() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = Connection::open(dir.path().join("views.db")).unwrap();
        Checkpoints::init(&conn).unwrap();
        assert_eq!(Checkpoints::load(&conn, "jobs").unwrap(), Position::start());

        let committed: Position = "0:10,1:4".parse().unwrap();
        let tx = conn.transaction().unwrap();
        Checkpoints::store(&tx, "jobs", &committed).unwrap();
        tx.commit().unwrap();

        let tx = conn.transaction().unwrap();
        Checkpoints::store(&tx, "jobs", &"0:99".parse().unwrap()).unwrap();
        drop(tx); // rolled back, as if the process died before the commit

        let reopened = Connection::open(dir.path().join("views.db")).unwrap();
        assert_eq!(Checkpoints::load(&reopened, "jobs").unwrap(), committed);
        assert_eq!(Checkpoints::load(&reopened, "other").unwrap(), Position::start());
    }
}
