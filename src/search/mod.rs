//! Chinese full-text search: the shared tokeniser (NFKC, lowercase, traditional →
//! simplified folding, Han bigrams and Latin words) and the writer of the sharded,
//! gzip-compressed static index under `public/search/` that
//! `themes/default/static/js/search.js` reads in the browser. The format is
//! described in `index.rs`; the browser side implements the same tokeniser.
//!
//! The folding table comes from OpenCC (Apache-2.0): see `data/ts_chars.txt`.

pub(crate) mod delta;
mod encode;
mod index;
mod normalize;
pub mod site;
#[cfg(test)]
mod tests;
mod tokenizer;

pub use index::{IndexOptions, build_index, build_index_with, prepare_body, recall_docs_json};
#[cfg(test)]
use tokenizer::tokenize;

use crate::content::Kind;

/// Whether an output path is a file of the search index (`search/…`, but not the
/// search page `search/index.html`).
pub(crate) fn is_index_file(path: &str) -> bool {
    path.starts_with("search/") && path != "search/index.html"
}

/// One page as the search index sees it.
#[derive(Clone, Debug)]
pub struct SearchDoc {
    /// Root-relative URL without the base path: `"/courses/x/y/"`.
    pub url: String,
    pub title: String,
    /// A kind the search finds ([`Kind::searched`]): shown as a badge (课程 / 课时 / 讲座 /
    /// 案例 / 页面) and offered as a filter.
    pub kind: Kind,
    /// e.g. `["课程", "新时代党的创新理论"]`.
    pub breadcrumb: Vec<String>,
    /// h2/h3 texts.
    pub headings: Vec<String>,
    /// Plain text of the page (Markdown rendered, tags stripped).
    pub body: String,
    /// The course's action (思想淬炼 …); a lesson inherits its course's.
    pub action: Option<String>,
    pub levels: Vec<String>,
    pub domains: Vec<String>,
    /// ISO date.
    pub date: Option<String>,
}
