//! Splitting a query's text at its ORDER BY, for callers that add clauses to a saved
//! query (a board's filter, a queue): the WHERE part and the ORDER BY part, by the
//! text's own words, outside quotes. Byte offsets come from the text itself (ASCII
//! case folding keeps them), so any query splits without panicking.

/// `(where, order_by)`: the text before the first `ORDER BY` outside quotes (trimmed),
/// and the rest from `ORDER` on (empty when there is none).
pub fn split_order_by(jql: &str) -> (&str, &str) {
    let lower = jql.to_ascii_lowercase();
    let mut in_quote: Option<char> = None;
    let mut prev: Option<char> = None;
    for (i, c) in jql.char_indices() {
        match in_quote {
            Some(q) if c == q => in_quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => in_quote = Some(c),
            None => {
                let at_word = prev.is_none_or(|p| p.is_whitespace() || p == ')');
                if at_word
                    && lower[i..].starts_with("order")
                    && lower[i + 5..].trim_start().starts_with("by")
                {
                    return (jql[..i].trim(), jql[i..].trim());
                }
            }
        }
        prev = Some(c);
    }
    (jql.trim(), "")
}

#[cfg(test)]
mod tests {
    use super::split_order_by;

    #[test]
    fn splits_at_the_order_by_outside_quotes() {
        assert_eq!(
            split_order_by("project = A ORDER BY Rank ASC"),
            ("project = A", "ORDER BY Rank ASC")
        );
        assert_eq!(
            split_order_by("summary ~ \"order by\""),
            ("summary ~ \"order by\"", "")
        );
        assert_eq!(split_order_by("ORDER BY created"), ("", "ORDER BY created"));
        assert_eq!(split_order_by("reorder = 1"), ("reorder = 1", ""));
        // Letters whose lower case is longer than they are: offsets stay the text's.
        assert_eq!(
            split_order_by("summary ~ \"İİİ\" order by key"),
            ("summary ~ \"İİİ\"", "order by key")
        );
        assert_eq!(
            split_order_by("labels = İİ order by key"),
            ("labels = İİ", "order by key")
        );
    }
}
