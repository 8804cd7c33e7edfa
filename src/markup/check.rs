//! The renderer's safety property as a checker, shared by its property test and the
//! `markup_render` fuzz target: the output is escaped text and the renderer's own tags
//! ([`super::ALLOWED_TAGS`]) with its own attributes, every `&` starts an entity, every
//! link target is one [`super::render`] allows, and every element opened is closed.

use std::collections::HashMap;

use super::ALLOWED_TAGS;

const ENTITIES: [&str; 5] = ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"];
const ATTRIBUTES: [&str; 4] = ["href", "rel", "class", "color"];

/// What is wrong with `html` as renderer output, or `None` when it holds the property.
pub fn violation(html: &str) -> Option<String> {
    let mut rest = html;
    let mut open: HashMap<&str, i64> = HashMap::new();
    while let Some(i) = rest.find(['<', '>', '&']) {
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix('&') {
            if !ENTITIES.iter().any(|e| tail.starts_with(e)) {
                return Some("a bare &".into());
            }
            rest = after;
            continue;
        }
        if tail.starts_with('>') {
            return Some("a bare >".into());
        }
        let Some(end) = tail.find('>') else {
            return Some("an unclosed tag".into());
        };
        let inside = &tail[1..end];
        if inside.contains('<') {
            return Some("a < inside a tag".into());
        }
        let closing = inside.starts_with('/');
        let inside = inside.trim_start_matches('/').trim_end_matches('/');
        let (name, attrs) = inside.split_once(' ').unwrap_or((inside, ""));
        let Some(known) = ALLOWED_TAGS.iter().find(|t| **t == name) else {
            return Some(format!("the tag <{name}>"));
        };
        if !matches!(name, "br" | "hr") {
            *open.entry(known).or_default() += if closing { -1 } else { 1 };
        }
        if let Some(problem) = attribute_violation(attrs) {
            return Some(problem);
        }
        rest = &tail[end + 1..];
    }
    open.into_iter()
        .find(|(_, n)| *n != 0)
        .map(|(tag, _)| format!("<{tag}> opened and closed unevenly"))
}

fn attribute_violation(mut attrs: &str) -> Option<String> {
    while !attrs.trim().is_empty() {
        let Some((attr, value_and_rest)) = attrs.trim_start().split_once("=\"") else {
            return Some("an attribute without a quoted value".into());
        };
        let Some((value, after)) = value_and_rest.split_once('"') else {
            return Some("an unterminated attribute".into());
        };
        if !ATTRIBUTES.contains(&attr) {
            return Some(format!("the attribute {attr}"));
        }
        let v = value.to_ascii_lowercase();
        if attr == "href"
            && !(v.starts_with("http://")
                || v.starts_with("https://")
                || v.starts_with("mailto:")
                || (v.starts_with('/') && !v.starts_with("//")))
        {
            return Some(format!("the link target {value:?}"));
        }
        attrs = after;
    }
    None
}
