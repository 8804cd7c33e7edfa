//! Inline formatting on already-escaped text: `*bold*`, `_italic_`, `-strike-`,
//! `+under+`, `{{mono}}`, `^sup^`, `~sub~`, `??cite??`, `{color:red}…{color}`,
//! `[text|url]` and `[url]` links, `[~username]` mentions.
//!
//! Every index used here comes from a search of the same string or is the length of an
//! ASCII mark, so every slice falls on a character boundary. Marks are looked for only
//! outside the tags emitted by an earlier pass ([`find_text`]), so no tag can ever be
//! written into another tag's attribute.

use super::escape;

pub(super) fn inline(escaped: &str) -> String {
    let mut s = colors(&links(escaped));
    for (mark, open, close) in [
        ("{{", "<code>", "</code>"),
        ("??", "<cite>", "</cite>"),
        ("*", "<strong>", "</strong>"),
        ("_", "<em>", "</em>"),
        ("+", "<ins>", "</ins>"),
        ("^", "<sup>", "</sup>"),
        ("~", "<sub>", "</sub>"),
        ("-", "<del>", "</del>"),
    ] {
        let end = if mark == "{{" { "}}" } else { mark };
        s = pairs(&s, mark, end, open, close);
    }
    s
}

/// The first `pat` in `s` outside a tag. The text is escaped, so every `<` in it opens
/// a tag of the renderer's own, which ends at the next `>` (attribute values are
/// escaped too).
fn find_text(s: &str, pat: &str) -> Option<usize> {
    let mut in_tag = false;
    for (i, c) in s.char_indices() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag && s[i..].starts_with(pat) => return Some(i),
            _ => {}
        }
    }
    None
}

/// Replaces `mark text endmark` where the marks sit at word boundaries.
fn pairs(s: &str, mark: &str, end: &str, open: &str, close: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = find_text(rest, mark) {
        let before_ok = !rest[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric());
        let after = &rest[start + mark.len()..];
        if let Some(len) = find_text(after, end)
            && before_ok
            && len > 0
            && !after.starts_with(' ')
            && !after[..len].ends_with(' ')
        {
            let tail = &after[len + end.len()..];
            if !tail.chars().next().is_some_and(|c| c.is_alphanumeric()) {
                out.push_str(&rest[..start]);
                out.push_str(open);
                out.push_str(&after[..len]);
                out.push_str(close);
                rest = tail;
                continue;
            }
        }
        out.push_str(&rest[..start + mark.len()]);
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Reverses [`escape`] for a link target, so its scheme can be checked.
fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Only http(s), mailto and same-site relative URLs become links; the target comes back
/// attribute-escaped.
fn safe_url(url: &str) -> Option<String> {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    let ok = lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("mailto:")
        || (u.starts_with('/') && !u.starts_with("//"));
    ok.then(|| escape(u))
}

fn links(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('[') {
        let Some(len) = rest[open..].find(']') else {
            break;
        };
        let inner = &rest[open + 1..open + len];
        out.push_str(&rest[..open]);
        if let Some(user) = inner.strip_prefix('~').filter(|u| is_username(u)) {
            out.push_str(&format!("<span class=\"user-mention\">@{user}</span>"));
        } else {
            let (text, target) = inner.split_once('|').unwrap_or((inner, inner));
            match safe_url(&unescape(target)) {
                Some(url) => out.push_str(&format!(
                    "<a href=\"{url}\" rel=\"nofollow noopener\">{text}</a>"
                )),
                None => out.push_str(&rest[open..=open + len]),
            }
        }
        rest = &rest[open + len + 1..];
    }
    out.push_str(rest);
    out
}

/// A mention's user name: the characters Jira allows in one (the text is already
/// escaped, so `&` — the start of an entity — is not among them).
fn is_username(u: &str) -> bool {
    !u.is_empty()
        && u.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
}

/// `{color:red}text{color}` as Jira renders it, `<font color="red">`; a colour is a
/// name or `#hex` and nothing else, so it cannot carry markup or a style.
fn colors(s: &str) -> String {
    const OPEN: &str = "{color:";
    const CLOSE: &str = "{color}";
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = find_text(rest, OPEN) {
        let after = &rest[start + OPEN.len()..];
        let parsed = find_text(after, "}").and_then(|brace| {
            let color = &after[..brace];
            let body = &after[brace + 1..];
            let valid = !color.is_empty()
                && color.len() <= 20
                && color
                    .strip_prefix('#')
                    .unwrap_or(color)
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric());
            let end = find_text(body, CLOSE)?;
            valid.then_some((color, &body[..end], &body[end + CLOSE.len()..]))
        });
        match parsed {
            Some((color, text, tail)) => {
                out.push_str(&rest[..start]);
                out.push_str(&format!("<font color=\"{color}\">{text}</font>"));
                rest = tail;
            }
            None => {
                out.push_str(&rest[..start + OPEN.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}
