//! SVG files are documents: opened on their own (a link, a new tab) they run their
//! scripts with the site's origin. Those holding scripts, event handlers or references
//! to other files or addresses are refused; the others are published as they are.

use super::problem::SvgRisk;

/// What makes `text` unsafe to publish, if anything.
pub(crate) fn risk(text: &str) -> Option<SvgRisk> {
    let opts = roxmltree::ParsingOptions {
        // Entities can pull in outside files or blow up; a drawing needs none.
        allow_dtd: false,
        ..roxmltree::ParsingOptions::default()
    };
    let Ok(doc) = roxmltree::Document::parse_with_options(text, opts) else {
        return Some(SvgRisk::Malformed);
    };
    for node in doc.descendants().filter(roxmltree::Node::is_element) {
        let name = node.tag_name().name();
        if name.eq_ignore_ascii_case("script") {
            return Some(SvgRisk::Script);
        }
        // HTML inside an SVG can hold anything a page can.
        if name.eq_ignore_ascii_case("foreignObject") {
            return Some(SvgRisk::Script);
        }
        for a in node.attributes() {
            let attr = a.name().to_ascii_lowercase();
            if attr.starts_with("on") {
                return Some(SvgRisk::EventHandler);
            }
            if attr == "href" && !a.value().trim_start().starts_with('#') {
                return Some(SvgRisk::ExternalReference);
            }
            if attr == "style" && outside_url(a.value()) {
                return Some(SvgRisk::ExternalReference);
            }
        }
        if name.eq_ignore_ascii_case("style")
            && node
                .text()
                .is_some_and(|css| outside_url(css) || css.contains("@import"))
        {
            return Some(SvgRisk::ExternalReference);
        }
    }
    None
}

/// Whether CSS text refers to anything but a fragment of the same file (`url(#grad)`).
fn outside_url(css: &str) -> bool {
    css.match_indices("url(").any(|(i, _)| {
        let rest = css[i + 4..].trim_start_matches([' ', '"', '\'']);
        !rest.starts_with('#')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPEN: &str =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">";

    fn svg(inner: &str) -> String {
        format!("{OPEN}{inner}</svg>")
    }

    #[test]
    fn plain_drawings_pass() {
        let ok = svg(
            "<defs><linearGradient id=\"g\"/></defs><rect fill=\"url(#g)\" width=\"4\" height=\"4\"/><use xlink:href=\"#g\"/>",
        );
        assert_eq!(risk(&ok), None);
    }

    #[test]
    fn scripts_handlers_and_outside_references_are_found() {
        let cases = [
            ("<script>alert(1)</script>", SvgRisk::Script),
            ("<SCRIPT>alert(1)</SCRIPT>", SvgRisk::Script),
            ("<foreignObject><div/></foreignObject>", SvgRisk::Script),
            ("<rect onload=\"alert(1)\"/>", SvgRisk::EventHandler),
            (
                "<image href=\"http://x/y.png\"/>",
                SvgRisk::ExternalReference,
            ),
            ("<image xlink:href=\"a.png\"/>", SvgRisk::ExternalReference),
            (
                "<a href=\"javascript:alert(1)\"><text>x</text></a>",
                SvgRisk::ExternalReference,
            ),
            (
                "<rect style=\"fill:url(http://x/p)\"/>",
                SvgRisk::ExternalReference,
            ),
            (
                "<style>@import 'http://x/a.css';</style>",
                SvgRisk::ExternalReference,
            ),
        ];
        for (inner, want) in cases {
            assert_eq!(risk(&svg(inner)), Some(want), "{inner}");
        }
        assert_eq!(risk("<svg><rect></svg>"), Some(SvgRisk::Malformed));
        let dtd = "<!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><svg>&x;</svg>";
        assert_eq!(risk(dtd), Some(SvgRisk::Malformed));
    }
}
