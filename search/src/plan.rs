//! Decides whether a query is searched on one thread or on every core. Handing a query's
//! segments to other threads costs tens of microseconds of wake-ups, more than a selective
//! query's whole search; only a query that walks many postings gains from it.

use std::cell::RefCell;
use tantivy::query::{Bm25StatisticsProvider, BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

/// Queries estimated to match at least this many documents are searched in parallel.
pub(crate) const PARALLEL_FROM: u64 = 10_000;

/// The document frequencies one search needs (its plan, its scores and its snippets' weights),
/// each term looked up in every segment's dictionary once.
pub(crate) struct DocFreqs<'a> {
    searcher: &'a Searcher,
    known: RefCell<Vec<(Term, u64)>>,
}

impl<'a> DocFreqs<'a> {
    /// Frequencies in `searcher`'s segments.
    pub fn new(searcher: &'a Searcher) -> Self {
        DocFreqs { searcher, known: RefCell::new(Vec::new()) }
    }

    /// How many documents hold `term`.
    pub fn get(&self, term: &Term) -> tantivy::Result<u64> {
        if let Some((_, freq)) = self.known.borrow().iter().find(|(t, _)| t == term) {
            return Ok(*freq);
        }
        let freq = self.searcher.doc_freq(term)?;
        self.known.borrow_mut().push((term.clone(), freq));
        Ok(freq)
    }
}

/// BM25 scores read their document frequencies from the same cache.
impl Bm25StatisticsProvider for DocFreqs<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        Bm25StatisticsProvider::total_num_tokens(self.searcher, field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Bm25StatisticsProvider::total_num_docs(self.searcher)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        self.get(term)
    }
}

/// An upper bound on the documents `query` matches, given the terms of filters every match
/// must also carry: the narrowest required term bounds a conjunction.
pub(crate) fn estimate(query: &dyn Query, required: &[Term], freqs: &DocFreqs) -> tantivy::Result<u64> {
    let mut bound = matches(query, freqs)?;
    for term in required {
        bound = bound.min(freqs.get(term)?);
    }
    Ok(bound)
}

/// An upper bound on what `query` matches; every document when the query's kind is unknown.
fn matches(query: &dyn Query, freqs: &DocFreqs) -> tantivy::Result<u64> {
    if let Some(term) = query.downcast_ref::<TermQuery>() {
        return freqs.get(term.term());
    }
    if let Some(phrase) = query.downcast_ref::<PhraseQuery>() {
        return phrase.phrase_terms().iter().try_fold(u64::MAX, |low, t| Ok(low.min(freqs.get(t)?)));
    }
    if let Some(boolean) = query.downcast_ref::<BooleanQuery>() {
        let mut required = u64::MAX;
        let mut optional = 0u64;
        for (occur, clause) in boolean.clauses() {
            match occur {
                Occur::Must => required = required.min(matches(clause.as_ref(), freqs)?),
                Occur::Should => optional = optional.saturating_add(matches(clause.as_ref(), freqs)?),
                Occur::MustNot => {}
            }
        }
        return Ok(if required == u64::MAX { optional } else { required });
    }
    Ok(freqs.searcher.num_docs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{IndexRecordOption, STRING, Schema};
    use tantivy::{Index, TantivyDocument, doc};

    #[test]
    fn a_conjunction_is_bounded_by_its_rarest_term_and_a_disjunction_by_the_sum() {
        let mut schema = Schema::builder();
        let word = schema.add_text_field("word", STRING);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads::<TantivyDocument>(1, 15_000_000).unwrap();
        for n in 0..10 {
            writer.add_document(doc!(word => "common")).unwrap();
            if n < 2 {
                writer.add_document(doc!(word => "rare")).unwrap();
            }
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term = |w: &str| Term::from_field_text(word, w);
        let query = |w: &str| Box::new(TermQuery::new(term(w), IndexRecordOption::Basic)) as Box<dyn Query>;
        let and = BooleanQuery::new(vec![(Occur::Must, query("common")), (Occur::Must, query("rare"))]);
        let or = BooleanQuery::new(vec![(Occur::Should, query("common")), (Occur::Should, query("rare"))]);
        let freqs = DocFreqs::new(&searcher);
        assert_eq!(estimate(&and, &[], &freqs).unwrap(), 2);
        assert_eq!(estimate(&or, &[], &freqs).unwrap(), 12);
        assert_eq!(estimate(&or, &[term("rare")], &freqs).unwrap(), 2);
        assert_eq!(estimate(&tantivy::query::AllQuery, &[], &freqs).unwrap(), 12);
        assert_eq!(freqs.known.borrow().len(), 2, "each term is looked up once");
    }
}
