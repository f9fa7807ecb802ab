//! Decides whether a query is searched on one thread or on every core. Handing a query's
//! segments to other threads costs tens of microseconds of wake-ups, more than a selective
//! query's whole search; only a query that walks many postings gains from it.

use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::{Searcher, Term};

/// Queries estimated to match at least this many documents are searched in parallel.
pub(crate) const PARALLEL_FROM: u64 = 10_000;

/// An upper bound on the documents `query` matches, given the terms of filters every match
/// must also carry: the narrowest required term bounds a conjunction.
pub(crate) fn estimate(query: &dyn Query, required: &[Term], searcher: &Searcher) -> tantivy::Result<u64> {
    let mut bound = matches(query, searcher)?;
    for term in required {
        bound = bound.min(searcher.doc_freq(term)?);
    }
    Ok(bound)
}

/// An upper bound on what `query` matches; every document when the query's kind is unknown.
fn matches(query: &dyn Query, searcher: &Searcher) -> tantivy::Result<u64> {
    if let Some(term) = query.downcast_ref::<TermQuery>() {
        return searcher.doc_freq(term.term());
    }
    if let Some(phrase) = query.downcast_ref::<PhraseQuery>() {
        return phrase.phrase_terms().iter().try_fold(u64::MAX, |low, t| Ok(low.min(searcher.doc_freq(t)?)));
    }
    if let Some(boolean) = query.downcast_ref::<BooleanQuery>() {
        let mut required = u64::MAX;
        let mut optional = 0u64;
        for (occur, clause) in boolean.clauses() {
            match occur {
                Occur::Must => required = required.min(matches(clause.as_ref(), searcher)?),
                Occur::Should => optional = optional.saturating_add(matches(clause.as_ref(), searcher)?),
                Occur::MustNot => {}
            }
        }
        return Ok(if required == u64::MAX { optional } else { required });
    }
    Ok(searcher.num_docs())
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
        assert_eq!(estimate(&and, &[], &searcher).unwrap(), 2);
        assert_eq!(estimate(&or, &[], &searcher).unwrap(), 12);
        assert_eq!(estimate(&or, &[term("rare")], &searcher).unwrap(), 2);
        assert_eq!(estimate(&tantivy::query::AllQuery, &[], &searcher).unwrap(), 12);
    }
}
