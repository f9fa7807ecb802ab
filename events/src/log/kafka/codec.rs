//! Events as Kafka records (CloudEvents Kafka binding, binary mode: `ce_*` headers, JSON value,
//! stream id as key) and the partitioner (Kafka's own murmur2, so Java producers agree).

use crate::log::StreamId;
use crate::{DATA_CONTENT_TYPE, Error, Event, Result};
use rdkafka::error::KafkaError;
use rdkafka::message::{BorrowedMessage, Header, Headers, Message, OwnedHeaders};

/// Header prefix of CloudEvents attributes in the Kafka binding.
pub const CE_PREFIX: &str = "ce_";

/// Maps a client error into this crate's error.
pub(crate) fn kafka_err(err: KafkaError) -> Error {
    Error::Kafka(err.to_string())
}

/// An event encoded by the appending task: everything but its stream version, which only the
/// writer knows.
pub(crate) struct Encoded {
    pub stream: StreamId,
    pub partition: u32,
    pub payload: Vec<u8>,
    /// `ce_*` header names and values, without `ce_streamversion`.
    pub headers: Vec<(String, String)>,
}

/// Encodes an event's payload and attributes, refusing one larger than `max_bytes`.
pub(crate) fn encode(event: &Event, partitions: u32, max_bytes: usize) -> Result<Encoded> {
    let payload = event.data.to_json()?;
    if payload.len() > max_bytes {
        return Err(Error::TooLarge { size: payload.len(), limit: max_bytes });
    }
    let headers = event
        .attributes()
        .into_iter()
        .filter(|(name, _)| *name != "streamversion")
        .map(|(name, value)| (format!("{CE_PREFIX}{name}"), value))
        .collect();
    Ok(Encoded { stream: event.stream_id.clone(), partition: partition_of(&event.stream_id, partitions), payload, headers })
}

/// The record headers: the encoded `ce_*` attributes, the stream version and `content-type`.
pub(crate) fn headers(encoded: &Encoded, stream_version: u64) -> OwnedHeaders {
    let mut headers = OwnedHeaders::new_with_capacity(encoded.headers.len() + 2);
    for (key, value) in &encoded.headers {
        headers = headers.insert(Header { key, value: Some(value.as_bytes()) });
    }
    let version = stream_version.to_string();
    headers
        .insert(Header { key: "ce_streamversion", value: Some(version.as_bytes()) })
        .insert(Header { key: "content-type", value: Some(DATA_CONTENT_TYPE.as_bytes()) })
}

/// Decodes a consumed record back into an event.
pub(crate) fn decode(msg: &BorrowedMessage<'_>) -> Result<Event> {
    let at = || format!("kafka {}/{}@{}", msg.topic(), msg.partition(), msg.offset());
    let headers = msg.headers().ok_or_else(|| Error::Corrupt { at: at(), reason: "no headers".into() })?;
    let attr = |name: &str| {
        headers
            .iter()
            .find(|h| h.key.strip_prefix(CE_PREFIX) == Some(name))
            .and_then(|h| h.value)
            .and_then(|v| std::str::from_utf8(v).ok())
    };
    Event::from_attributes(attr, msg.payload().unwrap_or_default())
        .map_err(|e| Error::Corrupt { at: at(), reason: e.to_string() })
}

/// The stream version header of a record, without decoding the payload.
pub(crate) fn stream_version(msg: &BorrowedMessage<'_>) -> Option<u64> {
    let headers = msg.headers()?;
    let h = headers.iter().find(|h| h.key == "ce_streamversion")?;
    std::str::from_utf8(h.value?).ok()?.parse().ok()
}

/// The partition of a stream: Kafka's default for keyed records, `murmur2(key) & 0x7fffffff % n`.
pub(crate) fn partition_of(stream: &StreamId, partitions: u32) -> u32 {
    (murmur2(stream.as_str().as_bytes()) & 0x7fff_ffff) % partitions
}

/// MurmurHash2 exactly as Kafka's `Utils.murmur2`.
fn murmur2(data: &[u8]) -> u32 {
    const SEED: u32 = 0x9747_b28c;
    const M: u32 = 0x5bd1_e995;
    const R: u32 = 24;
    let mut h = SEED ^ data.len() as u32;
    let mut chunks = data.chunks_exact(4);
    for chunk in &mut chunks {
        let mut k = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h = h.wrapping_mul(M);
        h ^= k;
    }
    let tail = chunks.remainder();
    if tail.len() >= 3 {
        h ^= u32::from(tail[2]) << 16;
    }
    if tail.len() >= 2 {
        h ^= u32::from(tail[1]) << 8;
    }
    if !tail.is_empty() {
        h ^= u32::from(tail[0]);
        h = h.wrapping_mul(M);
    }
    h ^= h >> 13;
    h = h.wrapping_mul(M);
    h ^= h >> 15;
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn murmur2_matches_kafka_test_vectors() {
        let cases: [(&[u8], i32); 6] = [
            (b"21", -973932308),
            (b"foobar", -790332482),
            (b"a-little-bit-long-string", -985981536),
            (b"a-little-bit-longer-string", -1486304829),
            (b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971),
            (b"abc", 479470107),
        ];
        for (input, expected) in cases {
            assert_eq!(murmur2(input) as i32, expected, "{}", String::from_utf8_lossy(input));
        }
    }
}
