//! Resolved queries ([`Filter`]) and their translation into tantivy queries.

use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, EmptyQuery, Occur, PhraseQuery, Query, RangeQuery, RegexQuery,
    TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use super::schema::analyzer;
use super::{NumField, SearchIndex, SearchResult, SortKey, TextField, collect};

/// How text is matched for `~`.
#[derive(Debug, Clone, PartialEq)]
pub enum TextMatch {
    /// Every word must occur (stemmed).
    Words(String),
    /// The words in this order.
    Phrase(String),
    /// A word starting with this prefix (`abc*`).
    Prefix(String),
    /// A word matching a pattern with `?` for one character and `*` for many.
    Wildcard(String),
}

/// A resolved query over the index.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    All,
    Nothing,
    And(Vec<Filter>),
    Or(Vec<Filter>),
    Not(Box<Filter>),
    /// The field holds one of these values (multi-valued fields: any of them).
    In(NumField, Vec<i64>),
    Range(NumField, Bound<i64>, Bound<i64>),
    /// The field has no value.
    Empty(NumField),
    KeyIn(Vec<String>),
    LabelIn(Vec<String>),
    LabelsEmpty,
    /// Custom field `id` holds one of these canonical values.
    CustomIn(i64, Vec<String>),
    CustomEmpty(i64),
    Text(Vec<TextField>, TextMatch),
    TextEmpty(TextField),
}

impl SearchIndex {
    fn text_field(&self, t: TextField) -> Field {
        self.fields
            .texts
            .iter()
            .find(|(x, _)| *x == t)
            .map(|(_, f)| *f)
            .unwrap_or(self.fields.key)
    }

    /// Lower-cased, stemmed tokens of `text`, as the index stores them.
    fn tokens(&self, text: &str) -> Vec<String> {
        let mut analyzer = analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    fn query(&self, filter: &Filter) -> Box<dyn Query> {
        let f = &self.fields;
        let has = |name: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(f.has, name),
                IndexRecordOption::Basic,
            ))
        };
        match filter {
            Filter::All => Box::new(AllQuery),
            Filter::Nothing => Box::new(EmptyQuery),
            Filter::And(parts) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> =
                    parts.iter().map(|p| self.occur(p, Occur::Must)).collect();
                // Exclusions alone match nothing in tantivy; they exclude from everything.
                if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Filter::Or(parts) => {
                if parts.is_empty() {
                    return Box::new(EmptyQuery);
                }
                Box::new(BooleanQuery::new(
                    parts
                        .iter()
                        .map(|p| (Occur::Should, self.query(p)))
                        .collect(),
                ))
            }
            Filter::Not(inner) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
                (Occur::MustNot, self.query(inner)),
            ])),
            Filter::In(field, values) => {
                let field = f.nums[field];
                terms(values.iter().map(|v| Term::from_field_i64(field, *v)))
            }
            Filter::Range(field, lo, hi) => Box::new(RangeQuery::new_i64_bounds(
                field.name().to_string(),
                *lo,
                *hi,
            )),
            Filter::Empty(field) => not(has(field.name())),
            Filter::KeyIn(keys) => terms(keys.iter().map(|k| Term::from_field_text(f.key, k))),
            Filter::LabelIn(labels) => Box::new(TermSetQuery::new(
                labels.iter().map(|l| Term::from_field_text(f.labels, l)),
            )),
            Filter::LabelsEmpty => not(has("labels")),
            Filter::CustomIn(id, values) => Box::new(TermSetQuery::new(
                values
                    .iter()
                    .map(|v| Term::from_field_text(f.custom, &format!("{id}:{v}"))),
            )),
            Filter::CustomEmpty(id) => not(has(&format!("cf{id}"))),
            Filter::TextEmpty(t) => not(has(t.name())),
            Filter::Text(fields, m) => {
                let per_field: Vec<(Occur, Box<dyn Query>)> = fields
                    .iter()
                    .map(|t| (Occur::Should, self.text_query(self.text_field(*t), m)))
                    .collect();
                Box::new(BooleanQuery::new(per_field))
            }
        }
    }

    fn occur(&self, filter: &Filter, default: Occur) -> (Occur, Box<dyn Query>) {
        match filter {
            Filter::Not(inner) => (Occur::MustNot, self.query(inner)),
            other => (default, self.query(other)),
        }
    }

    fn text_query(&self, field: Field, m: &TextMatch) -> Box<dyn Query> {
        match m {
            TextMatch::Words(text) => {
                let tokens = self.tokens(text);
                if tokens.is_empty() {
                    return Box::new(EmptyQuery);
                }
                Box::new(BooleanQuery::new(
                    tokens
                        .into_iter()
                        .map(|t| {
                            (
                                Occur::Must,
                                Box::new(TermQuery::new(
                                    Term::from_field_text(field, &t),
                                    IndexRecordOption::Basic,
                                )) as Box<dyn Query>,
                            )
                        })
                        .collect(),
                ))
            }
            TextMatch::Phrase(text) => {
                let tokens = self.tokens(text);
                match tokens.len() {
                    0 => Box::new(EmptyQuery),
                    1 => Box::new(TermQuery::new(
                        Term::from_field_text(field, &tokens[0]),
                        IndexRecordOption::Basic,
                    )),
                    _ => Box::new(PhraseQuery::new(
                        tokens
                            .iter()
                            .map(|t| Term::from_field_text(field, t))
                            .collect(),
                    )),
                }
            }
            TextMatch::Prefix(prefix) | TextMatch::Wildcard(prefix) => {
                // Wildcards match the indexed (stemmed, lower-cased) words; the pattern is
                // lower-cased and everything but the wildcards is escaped.
                let mut pattern = String::new();
                for c in prefix.to_lowercase().chars() {
                    match c {
                        '*' => pattern.push_str(".*"),
                        '?' => pattern.push('.'),
                        c if c.is_alphanumeric() => pattern.push(c),
                        c => {
                            pattern.push('\\');
                            pattern.push(c);
                        }
                    }
                }
                if matches!(m, TextMatch::Prefix(_)) && !pattern.ends_with(".*") {
                    pattern.push_str(".*");
                }
                match RegexQuery::from_pattern(&pattern, field) {
                    Ok(q) => Box::new(q),
                    Err(_) => Box::new(EmptyQuery),
                }
            }
        }
    }

    /// Counts matches.
    pub fn count(&self, filter: &Filter) -> SearchResult<usize> {
        let searcher = self.reader.searcher();
        Ok(searcher.search(&*self.query(filter), &tantivy::collector::Count)?)
    }

    /// Matching issue ids in order, with the total count. Only the best `offset +
    /// limit` matches are kept while the rest are just counted.
    pub fn search(
        &self,
        filter: &Filter,
        sort: &[SortKey],
        offset: usize,
        limit: usize,
    ) -> SearchResult<(Vec<i64>, usize)> {
        let searcher = self.reader.searcher();
        let collector = collect::TopSorted {
            sort: sort.to_vec(),
            id_field: NumField::Id.name(),
            k: offset.saturating_add(limit),
        };
        let (mut hits, total) = searcher.search(&*self.query(filter), &collector)?;
        hits.sort_unstable();
        Ok((hits.iter().skip(offset).map(|h| h.id).collect(), total))
    }
}

fn not(q: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
        (Occur::MustNot, q),
    ]))
}

/// Documents with any of the terms. A single term is a plain term query: a term set
/// builds an automaton over its terms for every segment, which costs more than the
/// lookup itself for the one-value filters most queries have (`project = X`).
fn terms(terms: impl Iterator<Item = Term>) -> Box<dyn Query> {
    let mut terms: Vec<Term> = terms.collect();
    match (terms.len(), terms.pop()) {
        (1, Some(term)) => Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
        (_, last) => {
            terms.extend(last);
            Box::new(TermSetQuery::new(terms))
        }
    }
}
