//! The `netraven` tokenizer: lowercased words, where network tokens (addresses, prefixes,
//! interfaces, MACs, host names, AS numbers) are found whole and by their parts.
//!
//! Two modes share one name. The index mode emits each word and, at the same position, its
//! parts and aliases (`10.0.0.1/24` → `10.0.0.1/24`, `10.0.0.1`, `10.0.0`, `10.0`,
//! `10.0.0.0/24`). The query mode emits each word whole, so a query word matches any document
//! word it is a part of, and phrases keep their positions.

mod network;
mod split;

#[cfg(test)]
mod tests;

use network::Part;
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer, TokenizerManager};

/// The name the text fields are indexed with.
pub const TOKENIZER_NAME: &str = "netraven";

/// Longer tokens (base64 blobs, long paths) are dropped rather than indexed.
const MAX_TOKEN_BYTES: usize = 255;

/// Whether words are expanded into their parts (indexing) or kept whole (queries).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenizerMode {
    /// Each word plus its parts and aliases, at the word's position.
    Index,
    /// Each word whole.
    Query,
}

/// The `netraven` tokenizer in one mode.
#[derive(Clone, Debug)]
pub struct NetTokenizer {
    mode: TokenizerMode,
    tokens: Vec<Token>,
}

impl NetTokenizer {
    /// A tokenizer in `mode`.
    pub fn new(mode: TokenizerMode) -> Self {
        NetTokenizer { mode, tokens: Vec::new() }
    }

    /// The lowercase token texts of `text`, in order (for tests and diagnostics).
    pub fn token_texts(&mut self, text: &str) -> Vec<String> {
        let mut stream = self.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }
}

/// Whether `word` is an IP address (with prefix or port) or a MAC: the query side quotes such
/// words when they hold colons, which the query syntax would otherwise read as a field name.
pub(crate) fn is_network_literal(word: &str) -> bool {
    network::is_address(&word.to_ascii_lowercase())
}

/// Registers the tokenizer in `mode` under [`TOKENIZER_NAME`].
pub(crate) fn register(manager: &TokenizerManager, mode: TokenizerMode) {
    manager.register(TOKENIZER_NAME, TextAnalyzer::from(NetTokenizer::new(mode)));
}

impl Tokenizer for NetTokenizer {
    type TokenStream<'a> = NetTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> NetTokenStream<'a> {
        self.tokens.clear();
        analyze(text, self.mode, &mut self.tokens);
        NetTokenStream { tokens: &mut self.tokens, next: 0 }
    }
}

/// The tokens of one text, computed up front.
pub struct NetTokenStream<'a> {
    tokens: &'a mut Vec<Token>,
    next: usize,
}

impl TokenStream for NetTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// Appends the tokens of `text` to `out`.
fn analyze(text: &str, mode: TokenizerMode, out: &mut Vec<Token>) {
    for (position, chunk) in split::chunks(text).enumerate() {
        let whole_range = chunk.from..chunk.from + chunk.text.len();
        let whole = chunk.text.to_lowercase();
        let first = out.len();
        if mode == TokenizerMode::Query {
            let canonical = network::canonical_ipv6(&whole).unwrap_or(whole);
            push(out, first, canonical, whole_range, position);
            continue;
        }
        // Lowercasing keeps byte offsets only for ASCII; other words are split as written.
        let basis = if chunk.text.is_ascii() { whole.as_str() } else { chunk.text };
        for part in network::parts(basis) {
            let (text, range) = match part {
                Part::Span(r) => (basis[r.clone()].to_lowercase(), chunk.from + r.start..chunk.from + r.end),
                Part::Alias(alias) => (alias, whole_range.clone()),
            };
            push(out, first, text, range, position);
        }
        push(out, first, whole, whole_range, position);
        // In text order (they share one position, so order means nothing to the index):
        // the snippet generator needs no token to end before an earlier one starts.
        out[first..].sort_by_key(|t| (t.offset_from, t.offset_to));
    }
}

/// Adds a token unless it is too long or already emitted for the same word (from `first` on).
fn push(out: &mut Vec<Token>, first: usize, text: String, range: std::ops::Range<usize>, position: usize) {
    if text.is_empty() || text.len() > MAX_TOKEN_BYTES || out[first..].iter().any(|t| t.text == text) {
        return;
    }
    out.push(Token { offset_from: range.start, offset_to: range.end, position, text, position_length: 1 });
}
