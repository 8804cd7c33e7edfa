//! Jira wiki markup to HTML, for `renderedFields` and `renderedBody`.
//!
//! Safety by construction: the input is HTML-escaped first, and only the fixed set of
//! tags below is ever emitted ([`ALLOWED_TAGS`]); link targets are limited to http(s),
//! mailto and relative URLs and are attribute-escaped. No user text can become markup.
//!
//! Robustness: user text is never sliced at a byte position that was not found in that
//! same text; block markers are matched with `strip_prefix` and byte checks on ASCII,
//! so any Unicode input renders (the property test and the `markup_render` fuzz target
//! hold it to that).

mod check;
mod inline;
#[cfg(test)]
mod tests;

pub use check::violation;
use inline::inline;

/// Every element the renderer can emit; anything else in the output would be a bug.
pub const ALLOWED_TAGS: &[&str] = &[
    "p",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "hr",
    "ul",
    "ol",
    "li",
    "pre",
    "code",
    "strong",
    "em",
    "ins",
    "sup",
    "sub",
    "del",
    "cite",
    "a",
    "span",
    "font",
    "table",
    "tbody",
    "tr",
    "th",
    "td",
];

/// HTML-escapes text for an element's content or a quoted attribute value.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `h1.` … `h6.` followed by text: the level. Checked on bytes, which are ASCII here,
/// so a multi-byte character after `h` is simply not a heading.
fn heading_level(line: &str) -> Option<u8> {
    match line.as_bytes() {
        [b'h', level @ b'1'..=b'6', b'.', _, ..] => Some(level - b'0'),
        _ => None,
    }
}

/// A table row (`||heading||heading||` or `|cell|cell|`) as its cells, each with
/// whether it is a heading. A `|` inside `[text|url]` does not split a cell.
fn table_cells(escaped: &str) -> Vec<(bool, &str)> {
    let mut cells = Vec::new();
    let mut depth = 0usize;
    let mut start: Option<(usize, bool)> = None;
    let mut chars = escaped.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '|' if depth == 0 => {
                let heading = chars.next_if(|(_, n)| *n == '|').is_some();
                let width = if heading { 2 } else { 1 };
                if let Some((from, was_heading)) = start {
                    cells.push((was_heading, &escaped[from..i]));
                }
                start = Some((i + width, heading));
            }
            _ => {}
        }
    }
    if let Some((from, heading)) = start {
        let tail = &escaped[from..];
        if !tail.trim().is_empty() {
            cells.push((heading, tail));
        }
    }
    cells
}

struct Renderer {
    html: String,
    paragraph: Vec<String>,
    /// Open list levels, `#` (ordered) or `*`.
    list: Vec<char>,
    /// Rows of the table being built.
    table: Vec<String>,
}

impl Renderer {
    fn flush_paragraph(&mut self) {
        if !self.paragraph.is_empty() {
            self.html.push_str("<p>");
            self.html.push_str(&self.paragraph.join("<br/>\n"));
            self.html.push_str("</p>\n");
            self.paragraph.clear();
        }
    }

    fn close_lists(&mut self, depth: usize) {
        while self.list.len() > depth {
            let kind = self.list.pop();
            self.html.push_str(if kind == Some('#') {
                "</li></ol>\n"
            } else {
                "</li></ul>\n"
            });
        }
    }

    fn flush_table(&mut self) {
        if !self.table.is_empty() {
            self.html.push_str("<table><tbody>\n");
            for row in self.table.drain(..) {
                self.html.push_str(&row);
            }
            self.html.push_str("</tbody></table>\n");
        }
    }

    /// Ends every open paragraph, list and table before a block of another kind.
    fn end_blocks(&mut self) {
        self.flush_paragraph();
        self.close_lists(0);
        self.flush_table();
    }

    fn list_item(&mut self, marks: &str, text: &str) {
        self.flush_paragraph();
        self.flush_table();
        let kinds: Vec<char> = marks
            .chars()
            .map(|c| if c == '#' { '#' } else { '*' })
            .collect();
        let common = self
            .list
            .iter()
            .zip(kinds.iter())
            .take_while(|(a, b)| a == b)
            .count();
        let same_level = common == kinds.len() && self.list.len() == kinds.len();
        self.close_lists(if same_level { kinds.len() } else { common });
        if same_level {
            self.html.push_str("</li>\n<li>");
        } else {
            for k in kinds.iter().skip(self.list.len()) {
                self.html.push_str(if *k == '#' {
                    "<ol>\n<li>"
                } else {
                    "<ul>\n<li>"
                });
                self.list.push(*k);
            }
        }
        self.html.push_str(&inline(text.trim()));
    }

    fn table_row(&mut self, escaped: &str) {
        self.flush_paragraph();
        self.close_lists(0);
        let mut row = String::from("<tr>");
        for (heading, cell) in table_cells(escaped) {
            let tag = if heading { "th" } else { "td" };
            row.push_str(&format!("<{tag}>{}</{tag}>", inline(cell.trim())));
        }
        row.push_str("</tr>\n");
        self.table.push(row);
    }
}

/// Collects the lines of a `{code}`, `{noformat}` or `{quote}` block: `first` is what
/// follows the opening tag on its line; the block ends at `end` or the input's end.
fn block_body<'a>(first: &str, end: &str, lines: &mut impl Iterator<Item = &'a str>) -> String {
    let mut body: Vec<String> = Vec::new();
    let mut current = first.to_string();
    loop {
        if let Some(pos) = current.find(end) {
            body.push(current[..pos].to_string());
            break;
        }
        if !current.is_empty() || !body.is_empty() {
            body.push(current);
        }
        match lines.next() {
            Some(next) => current = next.to_string(),
            None => break,
        }
    }
    body.join("\n")
}

/// Renders wiki markup to sanitised HTML.
pub fn render(markup: &str) -> String {
    let mut r = Renderer {
        html: String::new(),
        paragraph: Vec::new(),
        list: Vec::new(),
        table: Vec::new(),
    };
    let mut lines = markup.lines();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        // Preformatted blocks: nothing inside is interpreted. `{code:java}` and
        // `{noformat:title=x}` carry parameters up to the first `}`.
        if let Some((open, end)) = [("{code", "{code}"), ("{noformat", "{noformat}")]
            .into_iter()
            .find(|(open, _)| trimmed.starts_with(open))
        {
            r.end_blocks();
            let after_open = trimmed[open.len()..]
                .find('}')
                .map(|i| &trimmed[open.len() + i + 1..])
                .unwrap_or("");
            let body = block_body(after_open, end, &mut lines);
            r.html.push_str("<pre><code>");
            r.html.push_str(&escape(&body));
            r.html.push_str("</code></pre>\n");
            continue;
        }
        if let Some(after_open) = trimmed.strip_prefix("{quote}") {
            r.end_blocks();
            let body = block_body(after_open, "{quote}", &mut lines);
            // The body holds no `{quote}` (the block ends at the first), so this
            // recursion is one level deep.
            r.html.push_str("<blockquote>");
            r.html.push_str(&render(&body));
            r.html.push_str("</blockquote>\n");
            continue;
        }
        if trimmed.is_empty() {
            r.end_blocks();
            continue;
        }
        let escaped = escape(trimmed);
        if let Some(level) = heading_level(trimmed) {
            r.end_blocks();
            // `escaped` starts with the same three ASCII bytes as `trimmed`.
            let text = escaped.get(3..).unwrap_or_default().trim();
            r.html
                .push_str(&format!("<h{level}>{}</h{level}>\n", inline(text)));
            continue;
        }
        if let Some(text) = escaped.strip_prefix("bq. ") {
            r.end_blocks();
            r.html.push_str(&format!(
                "<blockquote>{}</blockquote>\n",
                inline(text.trim())
            ));
            continue;
        }
        if trimmed == "----" {
            r.end_blocks();
            r.html.push_str("<hr/>\n");
            continue;
        }
        if escaped.starts_with('|') {
            r.table_row(&escaped);
            continue;
        }
        r.flush_table();
        // Lists: `* item`, `# item`, `- item`, nested as `** item` or `#* item`.
        let marks_len = escaped
            .find(|c: char| !matches!(c, '*' | '#' | '-'))
            .unwrap_or(escaped.len());
        let (marks, text) = escaped.split_at(marks_len);
        if !marks.is_empty()
            && text.starts_with(' ')
            && !(marks.starts_with('-') && marks.len() > 1)
        {
            r.list_item(marks, text);
            continue;
        }
        r.close_lists(0);
        r.paragraph.push(inline(&escaped));
    }
    r.end_blocks();
    r.html.trim_end().to_string()
}
