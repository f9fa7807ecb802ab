//! The bodies file beside the SQLite store (`<store>-bodies`): event bodies appended back to
//! back, each found through its row's offset, length and CRC-32. Keeping the bytes out of the
//! b-tree writes them once instead of twice (WAL frame, then checkpoint), and reads of
//! consecutive events become one read.

use crate::{Error, Result};
use std::fs::{File, OpenOptions};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

/// Where one event's body lies in the bodies file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub at: u64,
    pub len: u64,
    pub crc: u32,
}

/// The bodies file of the store at `db`.
pub(crate) fn path(db: &Path) -> PathBuf {
    let mut path = db.as_os_str().to_owned();
    path.push("-bodies");
    PathBuf::from(path)
}

/// Opens (creating if needed) the bodies file of the store at `db`.
pub(crate) fn open(db: &Path) -> Result<File> {
    Ok(OpenOptions::new().read(true).write(true).create(true).truncate(false).open(path(db))?)
}

/// Appends bodies for the writer, which holds SQLite's write lock while it does, so no other
/// process appends at the same time.
pub(crate) struct Appender {
    file: File,
    /// Bodies of the request being written, not yet in the file.
    pending: Vec<u8>,
    /// File offset of `pending[0]`.
    base: u64,
}

impl Appender {
    pub(crate) fn new(file: File) -> Self {
        Appender { file, pending: Vec::new(), base: 0 }
    }

    /// Starts a request at the current end of the file (another process may have appended).
    pub(crate) fn begin(&mut self) -> Result<()> {
        self.pending.clear();
        self.base = self.file.metadata()?.len();
        Ok(())
    }

    /// Places `body` after what is pending and says where it will be.
    pub(crate) fn push(&mut self, body: &[u8]) -> Span {
        let at = self.base + self.pending.len() as u64;
        self.pending.extend_from_slice(body);
        Span { at, len: body.len() as u64, crc: crc32fast::hash(body) }
    }

    /// Forgets what is pending (its request was rolled back).
    pub(crate) fn discard(&mut self) {
        self.pending.clear();
    }

    /// Writes what is pending (not yet durable: the syncer fsyncs the file).
    pub(crate) fn write(&mut self) -> Result<()> {
        self.file.write_all_at(&self.pending, self.base)?;
        self.base += self.pending.len() as u64;
        self.pending.clear();
        Ok(())
    }
}

/// Reads the bodies of `spans`, in order, with one read per run of adjacent bodies.
pub(crate) fn read(file: &File, spans: &[Span]) -> Result<Vec<Vec<u8>>> {
    let mut bodies = Vec::with_capacity(spans.len());
    let mut start = 0;
    while start < spans.len() {
        let mut end = start + 1;
        while end < spans.len() && spans[end].at == spans[end - 1].at + spans[end - 1].len {
            end += 1;
        }
        let from = spans[start].at;
        let mut run = vec![0; (spans[end - 1].at + spans[end - 1].len - from) as usize];
        file.read_exact_at(&mut run, from).map_err(|e| corrupt(from, &e.to_string()))?;
        for span in &spans[start..end] {
            let offset = (span.at - from) as usize;
            bodies.push(run[offset..offset + span.len as usize].to_vec());
        }
        start = end;
    }
    Ok(bodies)
}

/// Whether `span` is wholly in the file and its bytes match its CRC (a body written before
/// a crash whose fsync never finished may be missing or hold other bytes).
pub(crate) fn intact(file: &File, span: Span) -> Result<bool> {
    if span.at + span.len > file.metadata()?.len() {
        return Ok(false);
    }
    let mut body = vec![0; span.len as usize];
    file.read_exact_at(&mut body, span.at)?;
    Ok(crc32fast::hash(&body) == span.crc)
}

fn corrupt(at: u64, reason: &str) -> Error {
    Error::Corrupt { at: format!("embedded bodies file offset {at}"), reason: reason.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adjacent_bodies_come_back_in_order_and_a_torn_one_is_not_intact() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("events.db");
        let mut appender = Appender::new(open(&db).unwrap());
        appender.begin().unwrap();
        let a = appender.push(b"first");
        let b = appender.push(b"second");
        appender.write().unwrap();
        appender.begin().unwrap();
        let c = appender.push(b"third");
        appender.write().unwrap();
        assert_eq!((a.at, b.at, c.at), (0, 5, 11));
        let file = open(&db).unwrap();
        assert_eq!(read(&file, &[a, c, b]).unwrap(), [b"first".to_vec(), b"third".to_vec(), b"second".to_vec()]);
        assert!(intact(&file, c).unwrap());
        assert!(!intact(&file, Span { len: 6, ..c }).unwrap(), "past the end of the file");
        file.write_all_at(b"T", c.at).unwrap();
        assert!(!intact(&file, c).unwrap(), "bytes that do not match the CRC");
        assert!(intact(&file, a).unwrap());
    }
}
