//! Reaching behind the embedded log's back, as tamper tests do: the stored body of an event,
//! wherever the store keeps it, and a replacement written straight into the SQLite row.

use std::os::unix::fs::FileExt;
use std::path::Path;

/// The stored body (structured-mode JSON) of the event at `position` of the store at `db`.
pub fn stored_body(db: &Path, position: i64) -> Vec<u8> {
    let conn = rusqlite::Connection::open(db).expect("the store opens");
    let (inline, at, len): (Vec<u8>, Option<i64>, Option<i64>) = conn
        .query_row("SELECT body, body_at, body_len FROM events WHERE position = ?1", [position], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("the event is stored");
    let (Some(at), Some(len)) = (at, len) else { return inline };
    let mut path = db.as_os_str().to_owned();
    path.push("-bodies");
    let mut body = vec![0; len as usize];
    std::fs::File::open(path).and_then(|f| f.read_exact_at(&mut body, at as u64)).expect("the bodies file holds it");
    body
}

/// Makes `body` the stored body of the event at `position`, kept in its row.
pub fn replace_body(db: &Path, position: i64, body: &[u8]) {
    let conn = rusqlite::Connection::open(db).expect("the store opens");
    let changed = conn
        .execute("UPDATE events SET body = ?1, body_at = NULL, body_len = NULL, body_crc = NULL WHERE position = ?2", rusqlite::params![body, position])
        .expect("the row updates");
    assert_eq!(changed, 1, "no event at position {position}");
}
