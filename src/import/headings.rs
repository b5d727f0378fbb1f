//! Which paragraphs are headings beyond what styles say, and which is the title: the
//! numbering of official documents (GB/T 9704) and their title line. Pure.

use super::docx::plain;
use super::model::{Block, Document};

/// The heading level official-document numbering gives a short paragraph (GB/T 9704):
/// `一、` 2, `（一）` 3, `1.` 4, `（1）` 5.
pub(crate) fn numbering_level(text: &str) -> Option<u8> {
    const HAN: &str = "一二三四五六七八九十百零〇";
    if text.chars().count() > 40 {
        return None;
    }
    let han = |s: &str| {
        let n = s.chars().take_while(|c| HAN.contains(*c)).count();
        (n > 0).then(|| s.chars().skip(n).collect::<String>())
    };
    let digits = |s: &str| {
        let n = s.chars().take_while(char::is_ascii_digit).count();
        (n > 0 && n <= 3).then(|| s[n..].to_string())
    };
    let rest_is_text = |rest: &str| !rest.trim().is_empty();
    if let Some(rest) = han(text) {
        return rest
            .strip_prefix('、')
            .filter(|r| rest_is_text(r))
            .map(|_| 2);
    }
    if let Some(inner) = text.strip_prefix('（').or_else(|| text.strip_prefix('(')) {
        if let Some(rest) = han(inner) {
            let after = rest.strip_prefix('）').or_else(|| rest.strip_prefix(')'));
            return after.filter(|r| rest_is_text(r)).map(|_| 3);
        }
        if let Some(rest) = digits(inner) {
            let after = rest.strip_prefix('）').or_else(|| rest.strip_prefix(')'));
            return after.filter(|r| rest_is_text(r)).map(|_| 5);
        }
        return None;
    }
    let rest = digits(text)?;
    let after = rest.strip_prefix('.').or_else(|| rest.strip_prefix('．'))?;
    // `1.5 亿元` is a number, not a heading.
    let next = after.chars().next()?;
    (!next.is_ascii_digit() && rest_is_text(after)).then_some(4)
}

/// Without heading styles, the paragraphs numbered as official documents number their
/// headings become headings, their number kept.
pub(crate) fn official_numbering(blocks: &mut [Block]) {
    if blocks.iter().any(|b| matches!(b, Block::Heading { .. })) {
        return;
    }
    for b in blocks.iter_mut() {
        let Block::Paragraph(content) = b else {
            continue;
        };
        if let Some(level) = numbering_level(&plain(content)) {
            let content = std::mem::take(content);
            *b = Block::Heading {
                level,
                styled: false,
                content,
            };
        }
    }
}

/// The title: the Title style's paragraph, else a first block that is a styled heading
/// (taken out of the body). The body's styled headings then start at level 2, the page
/// title being the level 1.
pub(crate) fn take_title(doc: &mut Document) {
    if doc.title.is_none() {
        title_line(doc);
    }
    if doc.title.is_none()
        && let Some(Block::Heading {
            styled: true,
            content,
            ..
        }) = doc.blocks.first()
    {
        doc.title = Some(plain(content));
        doc.blocks.remove(0);
    }
    let top = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading {
                level,
                styled: true,
                ..
            } => Some(*level),
            _ => None,
        })
        .min();
    let Some(top) = top else { return };
    for b in &mut doc.blocks {
        if let Block::Heading {
            level,
            styled: true,
            ..
        } = b
        {
            *level = (*level + 2).saturating_sub(top).min(6);
        }
    }
}

/// An official document's title: a short first paragraph without a sentence's end,
/// followed by a numbered heading (`关于……的报告` above `一、基本情况`).
fn title_line(doc: &mut Document) {
    let [
        Block::Paragraph(first),
        Block::Heading { styled: false, .. },
        ..,
    ] = doc.blocks.as_slice()
    else {
        return;
    };
    let text = plain(first);
    let ends = text.ends_with(['。', '；', '：', '，', '.', ':', ';']);
    if text.chars().count() <= 40 && !ends {
        doc.title = Some(text);
        doc.blocks.remove(0);
    }
}
