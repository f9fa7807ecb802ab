//! Turns a search request into one Tantivy query: the user's query text (parsed with the
//! query-mode tokenizer, words joined by AND) and the request's filters, which do not score.

use crate::document::{job_type_name, level_name};
use crate::request::{Kind, SearchRequest};
use crate::schema::{Fields, to_date};
use crate::tokenizer::{self, TokenizerMode};
use crate::{Error, Result};
use std::ops::Bound;
use tantivy::query::{AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, QueryParser, QueryParserError, RangeQuery, TermQuery, TermSetQuery};
use tantivy::schema::{Field, IndexRecordOption, Schema};
use tantivy::tokenizer::TokenizerManager;
use tantivy::Term;
use tantivy::query_grammar::{self, UserInputAst, UserInputLeaf};

/// Builds queries for one index.
pub(crate) struct QueryBuilder {
    parser: QueryParser,
    schema: Schema,
    fields: Fields,
}

impl QueryBuilder {
    /// A builder whose default search field is `text`.
    pub fn new(schema: Schema, fields: Fields) -> Self {
        let tokenizers = TokenizerManager::default();
        tokenizer::register(&tokenizers, TokenizerMode::Query);
        let mut parser = QueryParser::new(schema.clone(), vec![fields.text], tokenizers);
        parser.set_conjunction_by_default();
        QueryBuilder { parser, schema, fields }
    }

    /// The query for `request` (its text and its filters), and the terms of the one-value
    /// filters every match carries.
    pub fn build(&self, request: &SearchRequest) -> Result<(Box<dyn Query>, Vec<Term>)> {
        let mut clauses = vec![(Occur::Must, self.user_query(&request.q)?)];
        let mut required = Vec::new();
        for (occur, filter) in self.filters(request) {
            if let Some(term) = filter.downcast_ref::<TermQuery>().filter(|_| occur == Occur::Must) {
                required.push(term.term().clone());
            }
            clauses.push((occur, Box::new(ConstScoreQuery::new(filter, 0.0)) as Box<dyn Query>));
        }
        Ok((Box::new(BooleanQuery::new(clauses)), required))
    }

    /// The user's query text; blank matches everything.
    fn user_query(&self, q: &str) -> Result<Box<dyn Query>> {
        if q.trim().is_empty() {
            return Ok(Box::new(AllQuery));
        }
        let (text, inserted) = quote_network_literals(q, |name| self.schema.get_field(name).is_ok());
        let original = |pos: usize| pos - inserted.iter().enumerate().filter(|(k, i)| **i + k < pos).count();
        // The strict parser only says that a query is malformed; the lenient one, slower, says where.
        let ast = query_grammar::parse_query(&text).map_err(|_| {
            let (_, errors) = query_grammar::parse_query_lenient(&text);
            let (position, message) = errors.first().map_or((0, "the query syntax is not valid".into()), |e| (original(e.pos), e.message.clone()));
            Error::InvalidQuery { position, message }
        })?;
        self.parser
            .build_query_from_user_input_ast(lift_exclusions(ast, true))
            .map_err(|e| Error::InvalidQuery { position: locate(&e, q), message: e.to_string() })
    }

    /// One query per filter of `request`, with whether a document must or must not match it.
    /// A filter of one value is a term query: a term set builds an automaton and a bit set of
    /// the whole segment, which costs more than a selective query itself.
    fn filters(&self, request: &SearchRequest) -> Vec<(Occur, Box<dyn Query>)> {
        let f = &self.fields;
        let mut filters: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut any_of = |field: Field, values: Vec<String>| {
            let mut terms: Vec<Term> = values.iter().map(|v| Term::from_field_text(field, v)).collect();
            match terms.len() {
                0 => {}
                1 => filters.push((Occur::Must, Box::new(TermQuery::new(terms.remove(0), IndexRecordOption::Basic)))),
                _ => filters.push((Occur::Must, Box::new(TermSetQuery::new(terms)))),
            }
        };
        let kinds = if request.latest_only { vec![Kind::Config] } else { request.kinds.clone() };
        any_of(f.kind, kinds.iter().map(|k| k.as_str().to_string()).collect());
        any_of(f.level, request.levels.iter().map(|l| level_name(*l).to_string()).collect());
        any_of(f.job_id, request.job_ids.iter().map(ToString::to_string).collect());
        any_of(f.device_id, request.device_ids.iter().map(ToString::to_string).collect());
        any_of(f.tags, request.tags.clone());
        any_of(f.job_type, request.job_types.iter().map(|t| job_type_name(*t).to_string()).collect());
        // Latest copies are few: excluding them skips through a short list, where requiring
        // `latest = false` would walk nearly every document.
        let occur = if request.latest_only { Occur::Must } else { Occur::MustNot };
        filters.push((occur, Box::new(TermQuery::new(Term::from_field_bool(f.latest, true), IndexRecordOption::Basic))));
        if request.from.is_some() || request.to.is_some() {
            let bound = |t: Option<chrono::DateTime<chrono::Utc>>, inclusive: bool| match t {
                None => Bound::Unbounded,
                Some(t) if inclusive => Bound::Included(Term::from_field_date(f.time, to_date(t))),
                Some(t) => Bound::Excluded(Term::from_field_date(f.time, to_date(t))),
            };
            filters.push((Occur::Must, Box::new(RangeQuery::new(bound(request.from, true), bound(request.to, false)))));
        }
        filters
    }
}

/// `a AND NOT b` parses as `+a +(-b)`, and a clause of exclusions alone matches nothing:
/// exclusions are lifted into the enclosing clause (`+a -b`), and a query of exclusions only
/// (`NOT b`) excludes from everything.
fn lift_exclusions(ast: UserInputAst, top: bool) -> UserInputAst {
    let only_exclusions = |c: &[(Option<Occur>, UserInputAst)]| !c.is_empty() && c.iter().all(|(o, _)| *o == Some(Occur::MustNot));
    match ast {
        UserInputAst::Clause(children) => {
            let mut out = Vec::with_capacity(children.len());
            for (occur, child) in children {
                match (occur, lift_exclusions(child, false)) {
                    (None | Some(Occur::Must), UserInputAst::Clause(inner)) if only_exclusions(&inner) => out.extend(inner),
                    (occur, child) => out.push((occur, child)),
                }
            }
            if top && only_exclusions(&out) {
                out.push((Some(Occur::Must), UserInputAst::Leaf(Box::new(UserInputLeaf::All))));
            }
            UserInputAst::Clause(out)
        }
        UserInputAst::Boost(inner, boost) => UserInputAst::Boost(Box::new(lift_exclusions(*inner, false)), boost),
        leaf => leaf,
    }
}

/// Where in `q` a parser error points: the field it names, else the start.
fn locate(error: &QueryParserError, q: &str) -> usize {
    let field = match error {
        QueryParserError::FieldDoesNotExist(name)
        | QueryParserError::FieldNotIndexed(name)
        | QueryParserError::FieldDoesNotHavePositionsIndexed(name) => name,
        _ => return 0,
    };
    q.find(&format!("{field}:")).unwrap_or(0)
}

/// Quotes bare words that are IP or MAC addresses holding colons (`2001:db8::1`,
/// `00:1a:2b:3c:4d:5e`, `10.0.0.1:22`) unless they start with a field name, so the query syntax
/// does not read them as `field:value`. Returns the new text and the original byte offsets
/// at which a quote was inserted.
fn quote_network_literals(q: &str, is_field: impl Fn(&str) -> bool) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(q.len() + 8);
    let mut inserted = Vec::new();
    let mut in_phrase = false;
    let mut rest = q;
    let mut base = 0;
    while !rest.is_empty() {
        let word_len = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let (word, after) = rest.split_at(word_len);
        let core_start = word.len() - word.trim_start_matches(['(', '+', '-']).len();
        let core = word[core_start..].trim_end_matches(')');
        let quote = !in_phrase
            && core.contains(':')
            && !core.contains('"')
            && !is_field(core.split(':').next().unwrap_or_default())
            && tokenizer::is_network_literal(core);
        if quote {
            out.push_str(&word[..core_start]);
            out.push('"');
            out.push_str(core);
            out.push('"');
            out.push_str(&word[core_start + core.len()..]);
            inserted.extend([base + core_start, base + core_start + core.len()]);
        } else {
            out.push_str(word);
        }
        in_phrase ^= word.matches('"').count() % 2 == 1;
        let spaces = after.len() - after.trim_start().len();
        out.push_str(&after[..spaces]);
        base += word_len + spaces;
        rest = &after[spaces..];
    }
    (out, inserted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(q: &str) -> String {
        quote_network_literals(q, |f| f == "text").0
    }

    #[test]
    fn bare_colon_addresses_are_quoted_and_the_rest_is_untouched() {
        assert_eq!(quoted("2001:db8::1 AND down"), "\"2001:db8::1\" AND down");
        assert_eq!(quoted("(00:1A:2B:3C:4D:5E OR x)"), "(\"00:1A:2B:3C:4D:5E\" OR x)");
        assert_eq!(quoted("-10.0.0.1:22"), "-\"10.0.0.1:22\"");
        assert_eq!(quoted("text:foo level:error 10.0.0.1"), "text:foo level:error 10.0.0.1");
        assert_eq!(quoted("\"already 2001:db8::1 quoted\""), "\"already 2001:db8::1 quoted\"");
    }

    proptest::proptest! {
        /// The strict parser decides alone whether a query is valid: it must refuse every text
        /// the lenient parser finds an error in.
        #[test]
        fn the_strict_parser_refuses_what_the_lenient_one_faults(q in "[a-z0-9 :\"()+\\-*~^\\[\\]{}.!]{0,16}|(AND|OR|NOT|x|y:| |\"|\\(|\\)|\\[|\\]| TO |\\*|-|\\+){0,8}") {
            let (_, errors) = query_grammar::parse_query_lenient(&q);
            if query_grammar::parse_query(&q).is_ok() {
                proptest::prop_assert!(errors.is_empty(), "{q:?} parses strictly but leniently has {errors:?}");
            }
        }
    }

    #[test]
    fn inserted_offsets_are_in_the_original_text() {
        let (_, inserted) = quote_network_literals("x  fe80::1", |_| false);
        assert_eq!(inserted, vec![3, 10]);
    }
}
