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

pub(crate) use network::anchors;
pub(crate) use split::chunk_at;
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

/// The `netraven` tokenizer in one mode. It keeps the tokens of the last text it cut and
/// reuses their strings for the next, so tokenizing allocates only while its buffers grow.
#[derive(Clone, Debug)]
pub struct NetTokenizer {
    mode: TokenizerMode,
    tokens: TokenBuf,
}

impl NetTokenizer {
    /// A tokenizer in `mode`.
    pub fn new(mode: TokenizerMode) -> Self {
        NetTokenizer { mode, tokens: TokenBuf::default() }
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
        self.tokens.len = 0;
        analyze(text, self.mode, &mut self.tokens);
        NetTokenStream { tokens: &mut self.tokens.tokens[..self.tokens.len], next: 0 }
    }
}

/// The tokens of one text, computed up front.
pub struct NetTokenStream<'a> {
    tokens: &'a mut [Token],
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

/// Tokens cut so far: the first `len` of `tokens` are the current text's, the rest are spare
/// strings from earlier texts.
#[derive(Clone, Debug, Default)]
struct TokenBuf {
    tokens: Vec<Token>,
    len: usize,
    /// The word being analysed, lowercased.
    lower: String,
}

impl TokenBuf {
    /// Adds a token unless it is too long or already emitted for the same word (from `first` on).
    fn push(&mut self, first: usize, text: &str, range: std::ops::Range<usize>, position: usize) {
        if text.is_empty() || text.len() > MAX_TOKEN_BYTES || self.tokens[first..self.len].iter().any(|t| t.text == text) {
            return;
        }
        if self.len == self.tokens.len() {
            self.tokens.push(Token::default());
        }
        let token = &mut self.tokens[self.len];
        token.text.clear();
        token.text.push_str(text);
        (token.offset_from, token.offset_to, token.position, token.position_length) = (range.start, range.end, position, 1);
        self.len += 1;
    }
}

/// Appends the tokens of `text` to `out`.
fn analyze(text: &str, mode: TokenizerMode, out: &mut TokenBuf) {
    let mut lower = std::mem::take(&mut out.lower);
    for (position, chunk) in split::chunks(text).enumerate() {
        let whole_range = chunk.from..chunk.from + chunk.text.len();
        let ascii = chunk.text.is_ascii();
        lower.clear();
        if ascii {
            lower.extend(chunk.text.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            lower.push_str(&chunk.text.to_lowercase());
        }
        let first = out.len;
        if mode == TokenizerMode::Query {
            let canonical = network::canonical_ipv6(&lower);
            out.push(first, canonical.as_deref().unwrap_or(&lower), whole_range, position);
            continue;
        }
        // Lowercasing keeps byte offsets only for ASCII; other words are split as written.
        let basis = if ascii { lower.as_str() } else { chunk.text };
        for part in network::parts(basis) {
            match part {
                Part::Span(r) if ascii => out.push(first, &basis[r.clone()], chunk.from + r.start..chunk.from + r.end, position),
                Part::Span(r) => out.push(first, &basis[r.clone()].to_lowercase(), chunk.from + r.start..chunk.from + r.end, position),
                Part::Alias(alias) => out.push(first, &alias, whole_range.clone(), position),
            }
        }
        out.push(first, &lower, whole_range, position);
        // In text order (they share one position, so order means nothing to the index): the
        // snippet cutter relies on it.
        out.tokens[first..out.len].sort_by_key(|t| (t.offset_from, t.offset_to));
    }
    out.lower = lower;
}
