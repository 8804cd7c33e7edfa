//! Renderer tests: examples, the multi-byte regressions, and a property test over
//! random Unicode documents built from every markup trigger.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::{render, violation};

#[test]
fn formats_basic_markup() {
    assert_eq!(
        render("*bold* and _it_"),
        "<p><strong>bold</strong> and <em>it</em></p>"
    );
    assert_eq!(render("h2. Title"), "<h2>Title</h2>");
    assert_eq!(render("* a\n* b"), "<ul>\n<li>a</li>\n<li>b</li></ul>");
    assert_eq!(
        render("{code}let x = <b>;{code}"),
        "<pre><code>let x = &lt;b&gt;;</code></pre>"
    );
}

#[test]
fn multibyte_after_h_is_a_paragraph() {
    for line in [
        "he’s right",
        "h€llo",
        "hi😀",
        "h",
        "h1",
        "h1.",
        "hé.",
        "h\u{301}1. x",
    ] {
        let out = render(line);
        assert!(out.starts_with("<p>"), "{line:?} rendered as {out}");
    }
}

#[test]
fn never_emits_user_html() {
    let out = render("<script>alert(1)</script> [click|javascript:alert(1)] <img src=x onerror=y>");
    assert!(!out.contains("<script"), "{out}");
    assert!(!out.contains("<img"), "{out}");
    assert!(!out.contains("href=\"javascript"), "{out}");
    let link = render("[site|https://example.com/?a=1&b=\"x\"]");
    assert!(
        link.contains("href=\"https://example.com/?a=1&amp;b=&quot;x&quot;\""),
        "{link}"
    );
}

#[test]
fn renders_quotes_tables_cites_colours_and_mentions() {
    assert_eq!(
        render("{quote}said *this*{quote}"),
        "<blockquote><p>said <strong>this</strong></p></blockquote>"
    );
    assert_eq!(
        render("||a||b||\n|1|[x|https://e.com]|"),
        "<table><tbody>\n<tr><th>a</th><th>b</th></tr>\n<tr><td>1</td><td><a href=\"https://e.com\" rel=\"nofollow noopener\">x</a></td></tr>\n</tbody></table>"
    );
    assert_eq!(render("??Ann??"), "<p><cite>Ann</cite></p>");
    assert_eq!(
        render("{color:red}hot{color} {color:red;x}no{color}"),
        "<p><font color=\"red\">hot</font> {color:red;x}no{color}</p>"
    );
    assert_eq!(
        render("ask [~ann.lee] now"),
        "<p>ask <span class=\"user-mention\">@ann.lee</span> now</p>"
    );
}

fn assert_sanitised(input: &str, html: &str) {
    if let Some(problem) = violation(html) {
        panic!("{problem} in {html:?} from {input:?}");
    }
}

#[test]
fn marks_inside_a_link_target_stay_text() {
    let html = render("[x|https://e.com/*a*_b_{color:red}c{color}] *y*");
    assert_eq!(
        html,
        "<p><a href=\"https://e.com/*a*_b_{color:red}c{color}\" rel=\"nofollow noopener\">x</a> <strong>y</strong></p>"
    );
    assert_sanitised("", &html);
}

/// Pieces that start or end every construct the renderer knows, and a few hostile ones.
const TRIGGERS: &[&str] = &[
    "h1. ",
    "h2.",
    "h3. ",
    "h4. ",
    "h5. ",
    "h6. ",
    "h7. ",
    "h",
    "bq. ",
    "* ",
    "** ",
    "# ",
    "#* ",
    "- ",
    "-- ",
    "----",
    "{code}",
    "{code:java}",
    "{noformat}",
    "{quote}",
    "{color:red}",
    "{color:#ff0000}",
    "{color}",
    "{color:",
    "[",
    "]",
    "|",
    "||",
    "[text|https://example.com/a?b=1&c=2]",
    "[javascript:alert(1)]",
    "[x|//evil.example]",
    "[~ann]",
    "[~",
    "!image.png!",
    "!",
    "??",
    "*",
    "_",
    "+",
    "^",
    "~",
    "-",
    "{{",
    "}}",
    "<script>",
    "</p>",
    "\"",
    "'",
    "&",
    "&amp;",
    "\n",
    "\n",
    "\n\n",
    "\r\n",
    " ",
    "\t",
    "he’s",
    "h€llo",
    "hi😀",
    "é",
    "\u{301}",
    "\u{200b}",
    "\u{202e}",
    "\u{0}",
];

fn random_document(rng: &mut StdRng) -> String {
    let mut doc = String::new();
    for _ in 0..rng.gen_range(1..40) {
        if rng.gen_bool(0.7) {
            doc.push_str(TRIGGERS[rng.gen_range(0..TRIGGERS.len())]);
        } else {
            // Any scalar value, weighted towards the multi-byte ranges.
            let c = match rng.gen_range(0..4) {
                0 => rng.gen_range(0x20..0x7f),
                1 => rng.gen_range(0x80..0x800),
                2 => rng.gen_range(0x800..0x10000),
                _ => rng.gen_range(0x10000..0x110000),
            };
            doc.extend(char::from_u32(c));
        }
    }
    doc
}

#[test]
fn random_unicode_markup_renders_sanitised_html() {
    let mut rng = StdRng::seed_from_u64(0x7e55e7a);
    for _ in 0..20_000 {
        let doc = random_document(&mut rng);
        let html = render(&doc);
        assert_sanitised(&doc, &html);
    }
}
