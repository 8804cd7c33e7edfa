//! Jira wiki markup to HTML, for `renderedFields` and `renderedBody`.
//!
//! Safety by construction: the input is HTML-escaped first, and only the fixed set of
//! tags below is ever emitted; link targets are limited to http(s), mailto and relative
//! URLs and are attribute-escaped. No user text can become markup.

fn escape(s: &str) -> String {
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

fn safe_url(url: &str) -> Option<String> {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    let ok = lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("mailto:")
        || u.starts_with('/');
    ok.then(|| escape(u))
}

/// Inline formatting on already-escaped text: *bold*, _italic_, -strike-, +under+,
/// {{mono}}, ^sup^, ~sub~, [text|url] and [url] links.
fn inline(escaped: &str) -> String {
    let mut s = links(escaped);
    for (mark, open, close) in [
        ("{{", "<code>", "</code>"),
        ("*", "<strong>", "</strong>"),
        ("_", "<em>", "</em>"),
        ("+", "<ins>", "</ins>"),
        ("^", "<sup>", "</sup>"),
        ("~", "<sub>", "</sub>"),
        ("-", "<del>", "</del>"),
    ] {
        s = pairs(
            &s,
            mark,
            if mark == "{{" { "}}" } else { mark },
            open,
            close,
        );
    }
    s
}

/// Replaces `mark text endmark` where the marks sit at word boundaries.
fn pairs(s: &str, mark: &str, end: &str, open: &str, close: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find(mark) {
        let before_ok = start == 0
            || !rest[..start]
                .chars()
                .last()
                .is_some_and(|c| c.is_alphanumeric());
        let after = &rest[start + mark.len()..];
        let close_at = after.find(end);
        match close_at {
            Some(len)
                if before_ok
                    && len > 0
                    && !after.starts_with(' ')
                    && !after[..len].ends_with(' ') =>
            {
                let tail = &after[len + end.len()..];
                let after_ok = !tail.chars().next().is_some_and(|c| c.is_alphanumeric());
                if after_ok {
                    out.push_str(&rest[..start]);
                    out.push_str(open);
                    out.push_str(&after[..len]);
                    out.push_str(close);
                    rest = tail;
                    continue;
                }
                out.push_str(&rest[..start + mark.len()]);
                rest = after;
            }
            _ => {
                out.push_str(&rest[..start + mark.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn links(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']') else {
            break;
        };
        let inner = &rest[open + 1..open + close];
        let (text, target) = match inner.split_once('|') {
            Some((t, u)) => (t.to_string(), u),
            None => (inner.to_string(), inner),
        };
        out.push_str(&rest[..open]);
        // The text is already escaped; unescape only to check the URL scheme, then re-escape.
        let raw_target = target
            .replace("&amp;", "&")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">");
        match safe_url(&raw_target) {
            Some(url) => out.push_str(&format!(
                "<a href=\"{url}\" rel=\"nofollow noopener\">{text}</a>"
            )),
            None => out.push_str(&rest[open..open + close + 1]),
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// Renders wiki markup to sanitised HTML.
pub fn render(markup: &str) -> String {
    let mut html = String::new();
    let mut paragraph: Vec<String> = Vec::new();
    let mut list: Vec<char> = Vec::new();
    let mut lines = markup.lines().peekable();

    fn flush_para(html: &mut String, paragraph: &mut Vec<String>) {
        if !paragraph.is_empty() {
            html.push_str("<p>");
            html.push_str(&paragraph.join("<br/>\n"));
            html.push_str("</p>\n");
            paragraph.clear();
        }
    }
    fn close_lists(html: &mut String, list: &mut Vec<char>, depth: usize) {
        while list.len() > depth {
            let kind = list.pop();
            html.push_str(if kind == Some('#') {
                "</li></ol>\n"
            } else {
                "</li></ul>\n"
            });
        }
    }

    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        // Preformatted blocks: nothing inside is interpreted.
        if let Some(block) = ["{code", "{noformat"]
            .iter()
            .find(|b| trimmed.starts_with(**b))
        {
            flush_para(&mut html, &mut paragraph);
            close_lists(&mut html, &mut list, 0);
            let end = if *block == "{code" {
                "{code}"
            } else {
                "{noformat}"
            };
            let after_open = trimmed.find('}').map(|i| &trimmed[i + 1..]).unwrap_or("");
            let mut body: Vec<String> = Vec::new();
            let mut first = after_open.to_string();
            loop {
                if let Some(pos) = first.find(end) {
                    body.push(first[..pos].to_string());
                    break;
                }
                if !first.is_empty() || !body.is_empty() {
                    body.push(first.clone());
                }
                match lines.next() {
                    Some(next) => first = next.to_string(),
                    None => break,
                }
            }
            html.push_str("<pre><code>");
            html.push_str(&escape(&body.join("\n")));
            html.push_str("</code></pre>\n");
            continue;
        }
        if trimmed.is_empty() {
            flush_para(&mut html, &mut paragraph);
            close_lists(&mut html, &mut list, 0);
            continue;
        }
        let escaped = escape(trimmed);
        // Headings h1. .. h6.
        if trimmed.len() > 3
            && trimmed.starts_with('h')
            && trimmed[1..3].ends_with('.')
            && let Some(level) = trimmed[1..2]
                .parse::<u8>()
                .ok()
                .filter(|l| (1..=6).contains(l))
        {
            flush_para(&mut html, &mut paragraph);
            close_lists(&mut html, &mut list, 0);
            html.push_str(&format!(
                "<h{level}>{}</h{level}>\n",
                inline(escaped[3..].trim())
            ));
            continue;
        }
        if trimmed.starts_with("bq. ") {
            flush_para(&mut html, &mut paragraph);
            close_lists(&mut html, &mut list, 0);
            html.push_str(&format!(
                "<blockquote>{}</blockquote>\n",
                inline(escaped[4..].trim())
            ));
            continue;
        }
        if trimmed == "----" {
            flush_para(&mut html, &mut paragraph);
            close_lists(&mut html, &mut list, 0);
            html.push_str("<hr/>\n");
            continue;
        }
        // Lists: `* item`, `# item`, nested as `** item`.
        let marks: String = trimmed
            .chars()
            .take_while(|c| *c == '*' || *c == '#' || *c == '-')
            .collect();
        if !marks.is_empty()
            && trimmed[marks.len()..].starts_with(' ')
            && !(marks.starts_with('-') && marks.len() > 1)
        {
            flush_para(&mut html, &mut paragraph);
            let kinds: Vec<char> = marks
                .chars()
                .map(|c| if c == '#' { '#' } else { '*' })
                .collect();
            let common = list
                .iter()
                .zip(kinds.iter())
                .take_while(|(a, b)| a == b)
                .count();
            let same_level = common == kinds.len() && list.len() == kinds.len();
            close_lists(
                &mut html,
                &mut list,
                common.max(if same_level { kinds.len() } else { common }),
            );
            if same_level {
                html.push_str("</li>\n<li>");
            } else {
                for k in kinds.iter().skip(list.len()) {
                    html.push_str(if *k == '#' {
                        "<ol>\n<li>"
                    } else {
                        "<ul>\n<li>"
                    });
                    list.push(*k);
                }
            }
            html.push_str(&inline(escaped[marks.len()..].trim()));
            continue;
        }
        close_lists(&mut html, &mut list, 0);
        paragraph.push(inline(&escaped));
    }
    flush_para(&mut html, &mut paragraph);
    close_lists(&mut html, &mut list, 0);
    html.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::render;

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
    fn never_emits_user_html() {
        let out =
            render("<script>alert(1)</script> [click|javascript:alert(1)] <img src=x onerror=y>");
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("<img"), "{out}");
        assert!(!out.contains("href=\"javascript"), "{out}");
        let link = render("[site|https://example.com/?a=1&b=\"x\"]");
        assert!(
            link.contains("href=\"https://example.com/?a=1&amp;b=&quot;x&quot;\""),
            "{link}"
        );
    }
}
