//! The one tokeniser of jiangtang search, used to build the index and (ported
//! line for line to `search.js`) to read queries in the browser. It splits by
//! script, never by page language: runs of Han/kana become overlapping character
//! bigrams, letters and digits become words. `tests/search_cases.json` pins it.

use super::normalize::normalize_char;

/// Longest word kept, in characters; longer words are cut (queries the same way,
/// and words are matched by prefix, so nothing is lost for shorter queries).
pub(crate) const MAX_WORD_CHARS: usize = 32;

/// What a token stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum TokenKind {
    /// Two adjacent characters of a Han/kana run.
    // The index takes bigrams and words through their own `TokenSink` calls; these two
    // kinds name them in the readable token lists the tests compare.
    #[cfg_attr(not(test), expect(dead_code))]
    Bigram,
    /// The last character of a Han/kana run of two or more characters, so that
    /// every character of a run starts some token (one-character queries are
    /// prefix lookups).
    Tail,
    /// A Han/kana run of exactly one character.
    Single,
    /// A run of letters and digits (any script but Han/kana).
    #[cfg_attr(not(test), expect(dead_code))]
    Word,
}

impl TokenKind {
    /// One-letter code used by `tests/search_cases.json`.
    #[cfg(test)]
    fn code(self) -> &'static str {
        match self {
            TokenKind::Bigram => "b",
            TokenKind::Tail => "t",
            TokenKind::Single => "s",
            TokenKind::Word => "w",
        }
    }
}

/// One token: the normalised term, its position (tokens are numbered 0, 1, 2 …
/// in order; separators take no position) and where it came from in the
/// NFC-normalised input (byte offsets).
#[cfg(test)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) text: String,
    pub(crate) pos: u32,
    pub(crate) kind: TokenKind,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// Han ideographs, kana and the ideographic marks that behave like them.
/// The browser client uses exactly these ranges.
#[inline]
pub(crate) fn is_cjk(c: char) -> bool {
    let cp = c as u32;
    // The unified ideographs first: nearly every character of Chinese text.
    (0x4E00..=0x9FFF).contains(&cp)
        || (cp >= 0x3005
            && matches!(cp,
                0x3005..=0x3007
                | 0x3021..=0x3029
                | 0x3038..=0x303B
                | 0x3041..=0x3096
                | 0x309D..=0x309F
                | 0x30A1..=0x30FA
                | 0x30FC..=0x30FF
                | 0x31F0..=0x31FF
                | 0x3400..=0x4DBF
                | 0xF900..=0xFAFF
                | 0x20000..=0x3FFFF))
}

/// Letters and digits of every other script (Unicode Alphabetic or Number).
#[inline]
pub(crate) fn is_word_char(c: char) -> bool {
    let cp = c as u32;
    if cp < 0x80 {
        c.is_ascii_alphanumeric()
    } else if cp < 0x10000 {
        // The same test, looked up (it is slow for most non-Latin characters).
        static BITS: std::sync::OnceLock<Vec<u64>> = std::sync::OnceLock::new();
        let bits = BITS.get_or_init(|| {
            let mut bits = vec![0u64; 0x10000 / 64];
            for cp in 0x80..0x10000u32 {
                if char::from_u32(cp).is_some_and(|c| c.is_alphanumeric() && !is_cjk(c)) {
                    bits[cp as usize / 64] |= 1 << (cp % 64);
                }
            }
            bits
        });
        bits[cp as usize / 64] & (1 << (cp % 64)) != 0
    } else {
        c.is_alphanumeric() && !is_cjk(c)
    }
}

/// Receives the tokens of [`tokenize_into`] as characters, so that callers that
/// need no strings (the index writer) build none. Positions and byte offsets are
/// as in [`Token`].
pub(crate) trait TokenSink {
    /// Two adjacent characters of a Han/kana run.
    fn pair(&mut self, a: char, b: char, pos: u32, start: usize, end: usize);
    /// A run's last character ([`TokenKind::Tail`]) or a one-character run
    /// ([`TokenKind::Single`]).
    fn one(&mut self, kind: TokenKind, c: char, pos: u32, start: usize, end: usize);
    /// A word (already cut to [`MAX_WORD_CHARS`]).
    fn word(&mut self, word: &str, pos: u32, start: usize, end: usize);
}

/// The script-run state machine: bigrams are given out as soon as their second
/// character arrives, the tail when the run ends.
struct Splitter<'s, S: TokenSink> {
    sink: &'s mut S,
    pos: u32,
    /// Last character of the current Han/kana run, its byte range and the run length.
    prev: Option<(char, usize, usize)>,
    run_len: usize,
    word: String,
    word_chars: usize,
    word_start: usize,
    word_end: usize,
}

impl<S: TokenSink> Splitter<'_, S> {
    #[inline]
    fn flush_run(&mut self) {
        if let Some((c, start, end)) = self.prev.take() {
            let kind = if self.run_len == 1 {
                TokenKind::Single
            } else {
                TokenKind::Tail
            };
            self.sink.one(kind, c, self.pos, start, end);
            self.pos += 1;
        }
        self.run_len = 0;
    }

    #[inline]
    fn flush_word(&mut self) {
        if self.word_chars > 0 {
            self.sink
                .word(&self.word, self.pos, self.word_start, self.word_end);
            self.pos += 1;
            self.word.clear();
            self.word_chars = 0;
        }
    }

    #[inline]
    fn feed(&mut self, c: char, start: usize, end: usize) {
        if is_cjk(c) {
            self.flush_word();
            if let Some((p, p_start, _)) = self.prev {
                self.sink.pair(p, c, self.pos, p_start, end);
                self.pos += 1;
            }
            self.prev = Some((c, start, end));
            self.run_len += 1;
        } else if is_word_char(c) {
            self.flush_run();
            if self.word_chars == 0 {
                self.word_start = start;
            }
            if self.word_chars < MAX_WORD_CHARS {
                self.word.push(c);
                self.word_chars += 1;
            }
            self.word_end = end;
        } else {
            self.flush_run();
            self.flush_word();
        }
    }
}

/// Tokenises `text`: NFC, then per character NFKC + lowercase + traditional →
/// simplified folding, then script runs (see the module comment). Offsets refer to
/// the NFC form of `text` (the same as `text` for ordinary input).
#[cfg(test)]
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    tokenize_with(text, |t, pos, kind, start, end| {
        tokens.push(Token {
            text: t.to_string(),
            pos,
            kind,
            start,
            end,
        })
    });
    tokens
}

/// [`tokenize`] without allocating: calls `emit(text, pos, kind, start, end)` for
/// every token in order.
#[cfg(test)]
fn tokenize_with(text: &str, emit: impl FnMut(&str, u32, TokenKind, usize, usize)) {
    struct Strings<F> {
        emit: F,
        scratch: String,
    }
    impl<F: FnMut(&str, u32, TokenKind, usize, usize)> TokenSink for Strings<F> {
        fn pair(&mut self, a: char, b: char, pos: u32, start: usize, end: usize) {
            self.scratch.clear();
            self.scratch.push(a);
            self.scratch.push(b);
            (self.emit)(&self.scratch, pos, TokenKind::Bigram, start, end);
        }
        fn one(&mut self, kind: TokenKind, c: char, pos: u32, start: usize, end: usize) {
            self.scratch.clear();
            self.scratch.push(c);
            (self.emit)(&self.scratch, pos, kind, start, end);
        }
        fn word(&mut self, word: &str, pos: u32, start: usize, end: usize) {
            (self.emit)(word, pos, TokenKind::Word, start, end);
        }
    }
    let mut sink = Strings {
        emit,
        scratch: String::new(),
    };
    tokenize_into(&super::normalize::nfc(text), &mut sink);
}

/// The tokeniser proper, on text that is already NFC (see [`nfc`]): gives every
/// token to `sink` in order and returns how many there were.
pub(crate) fn tokenize_into<S: TokenSink>(text: &str, sink: &mut S) -> u32 {
    let mut sp = Splitter {
        sink,
        pos: 0,
        prev: None,
        run_len: 0,
        word: String::new(),
        word_chars: 0,
        word_start: 0,
        word_end: 0,
    };
    for (start, c) in text.char_indices() {
        let end = start + c.len_utf8();
        normalize_char(c, &mut |n| sp.feed(n, start, end));
    }
    sp.flush_run();
    sp.flush_word();
    sp.pos
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        tokenize(text)
            .into_iter()
            .map(|t| format!("{}{}", t.text, t.kind.code()))
            .collect()
    }

    #[test]
    fn han_runs_become_bigrams_with_a_tail() {
        assert_eq!(terms("党员干部"), ["党员b", "员干b", "干部b", "部t"]);
        assert_eq!(terms("年"), ["年s"]);
    }

    #[test]
    fn scripts_split_without_spaces() {
        assert_eq!(terms("Rust所有权"), ["rustw", "所有b", "有权b", "权t"]);
        assert_eq!(terms("2026年3月"), ["2026w", "年s", "3w", "月s"]);
    }

    #[test]
    fn positions_are_consecutive_and_offsets_point_into_the_input() {
        let text = "学习 Rust，所有权";
        let toks = tokenize(text);
        for (i, t) in toks.iter().enumerate() {
            assert_eq!(t.pos as usize, i);
        }
        assert_eq!(&text[toks[2].start..toks[2].end], "Rust");
        assert_eq!(&text[toks[3].start..toks[3].end], "所有");
    }

    #[test]
    fn punctuation_only_gives_nothing() {
        assert!(tokenize("，。！？……——  ").is_empty());
    }

    /// `tests/search_cases.json` is read by this test and by the Node test of
    /// `search.js`: both tokenisers must give exactly the listed tokens.
    #[test]
    fn shared_cases_agree() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/search_cases.json");
        let text = std::fs::read_to_string(path).expect("the shared cases are readable");
        let doc: serde_json::Value =
            serde_json::from_str(&text).expect("the shared cases are JSON");
        let cases = doc["cases"].as_array().cloned().unwrap_or_default();
        assert!(cases.len() >= 20, "too few cases in {path}");
        for case in cases {
            let input = case["input"].as_str().unwrap_or_default();
            let expected: Vec<(String, u64, String)> = case["tokens"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|t| {
                    (
                        t[0].as_str().unwrap_or_default().to_string(),
                        t[1].as_u64().unwrap_or(u64::MAX),
                        t[2].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect();
            let got: Vec<(String, u64, String)> = tokenize(input)
                .into_iter()
                .map(|t| (t.text, u64::from(t.pos), t.kind.code().to_string()))
                .collect();
            assert_eq!(got, expected, "case {:?}", case["name"]);
            assert_eq!(
                super::super::normalize::normalize(input),
                case["normalized"].as_str().unwrap_or_default(),
                "normalised form of {:?}",
                case["name"]
            );
        }
    }

    #[test]
    fn long_words_are_cut() {
        let long = "a".repeat(100);
        let toks = tokenize(&long);
        assert_eq!(toks.len(), 1);
        assert_eq!(toks[0].text.chars().count(), MAX_WORD_CHARS);
        assert_eq!(toks[0].end, 100);
    }
}
