//! Reads a document's stored text values straight from the document store, without building a
//! whole Tantivy document: a hit needs a handful of short strings, read once.

use tantivy::DateTime;
use tantivy::schema::Field;
use tantivy::schema::document::{
    DeserializeError, DocumentDeserialize, DocumentDeserializer, ValueDeserialize, ValueDeserializer, ValueVisitor,
};

/// The stored text values of one document, in stored order. Values of other types (kept by
/// indexes built before only text was stored) are skipped.
#[derive(Debug, Default)]
pub(crate) struct StoredText(Vec<(Field, String)>);

impl StoredText {
    /// The first value of `field`, or "" when it has none.
    pub fn get(&self, field: Field) -> &str {
        self.0.iter().find(|(f, _)| *f == field).map_or("", |(_, value)| value)
    }
}

impl DocumentDeserialize for StoredText {
    fn deserialize<'de, D: DocumentDeserializer<'de>>(mut deserializer: D) -> Result<Self, DeserializeError> {
        let mut values = Vec::with_capacity(deserializer.size_hint());
        while let Some((field, value)) = deserializer.next_field::<MaybeText>()? {
            if let MaybeText(Some(text)) = value {
                values.push((field, text));
            }
        }
        Ok(StoredText(values))
    }
}

/// One stored value: its text, or nothing for a scalar.
struct MaybeText(Option<String>);

impl ValueDeserialize for MaybeText {
    fn deserialize<'de, D: ValueDeserializer<'de>>(deserializer: D) -> Result<Self, DeserializeError> {
        deserializer.deserialize_any(TextVisitor).map(MaybeText)
    }
}

struct TextVisitor;

impl ValueVisitor for TextVisitor {
    type Value = Option<String>;

    fn visit_string(&self, value: String) -> Result<Self::Value, DeserializeError> {
        Ok(Some(value))
    }

    fn visit_u64(&self, _: u64) -> Result<Self::Value, DeserializeError> {
        Ok(None)
    }

    fn visit_datetime(&self, _: DateTime) -> Result<Self::Value, DeserializeError> {
        Ok(None)
    }

    fn visit_bool(&self, _: bool) -> Result<Self::Value, DeserializeError> {
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{STORED, STRING, Schema};
    use tantivy::{DateTime, DocAddress, Index, IndexWriter, TantivyDocument, doc};

    #[test]
    fn reads_text_values_and_skips_scalars() {
        let mut schema = Schema::builder();
        let name = schema.add_text_field("name", STRING | STORED);
        let count = schema.add_u64_field("count", STORED);
        let time = schema.add_date_field("time", STORED);
        let kind = schema.add_text_field("kind", STRING | STORED);
        let unset = schema.add_text_field("unset", STRING | STORED);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter<TantivyDocument> = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer
            .add_document(doc!(name => "core-sw1", count => 7u64, time => DateTime::from_timestamp_secs(1), kind => "log"))
            .unwrap();
        writer.commit().unwrap();
        let stored: StoredText = index.reader().unwrap().searcher().doc(DocAddress::new(0, 0)).unwrap();
        assert_eq!(stored.get(name), "core-sw1");
        assert_eq!(stored.get(kind), "log");
        assert_eq!(stored.get(unset), "");
        assert_eq!(stored.get(count), "");
        assert_eq!(stored.0.len(), 2);
    }
}
