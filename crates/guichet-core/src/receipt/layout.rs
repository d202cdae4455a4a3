//! Fitting text into a fixed number of printer columns.

/// Replaces control characters (ESC, newlines, tabs…) by spaces: a value that came from a
/// provider must never inject printer commands, and a receipt line is one line.
pub(crate) fn sanitize(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{202F}' | '\u{00A0}' | '\u{2009}' | '\u{2007}' => ' ',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

/// Number of printer columns a text takes at normal size (one per character).
pub(crate) fn columns(text: &str) -> usize {
    text.chars().count()
}

/// Greedy word wrap to `width` columns; a word longer than the width is cut in even pieces. Spaces between
/// words collapse to one. Always at least one line (maybe empty).
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in sanitize(text).split_whitespace() {
        let word: Vec<char> = word.chars().collect();
        let used = columns(&current);
        if used > 0 && used + 1 + word.len() <= width {
            current.push(' ');
            current.extend(word.iter());
            continue;
        }
        if used > 0 {
            lines.push(std::mem::take(&mut current));
        }
        if word.len() <= width {
            current.extend(word.iter());
            continue;
        }
        // Too long for any line: cut it in pieces of even length (a 33-character reference
        // on 32 columns prints as 17 + 16, not 32 + 1); the last piece stays open.
        let piece = word.len().div_ceil(word.len().div_ceil(width));
        let mut chunks = word.chunks(piece).peekable();
        while let Some(chunk) = chunks.next() {
            let chunk: String = chunk.iter().collect();
            if chunks.peek().is_some() {
                lines.push(chunk);
            } else {
                current = chunk;
            }
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

/// `label        value` on one line of `width` columns when both fit; otherwise the label
/// (wrapped), then the value right-aligned on as many lines as it needs. Receipts and the day's
/// reports lay their figures out with it.
pub(crate) fn pair(label: &str, value: &str, width: usize) -> Vec<String> {
    let label = sanitize(label).trim().to_string();
    let value = sanitize(value).trim().to_string();
    let (lc, vc) = (columns(&label), columns(&value));
    if lc + 1 + vc <= width {
        return vec![format!("{label}{}{value}", " ".repeat(width - lc - vc))];
    }
    let mut lines = wrap(&label, width);
    lines.extend(wrap(&value, width).iter().map(|l| right(l, width)));
    lines
}

/// `text` padded on the left to end at column `width`.
pub(crate) fn right(text: &str, width: usize) -> String {
    let pad = width.saturating_sub(columns(text));
    format!("{}{}", " ".repeat(pad), text)
}

/// Groups a token by 4 characters (`1234 5678 9012 3456 7890`), ignoring the spaces and
/// dashes it came with.
pub fn group_token(token: &str) -> String {
    let chars: Vec<char> = token
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    chars
        .chunks(4)
        .map(|g| g.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_on_words_and_cuts_long_words() {
        assert_eq!(wrap("un deux trois", 7), ["un deux", "trois"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("ab abcdefghij", 4), ["ab", "abcd", "efgh", "ij"]);
        assert_eq!(wrap("abcdefghij k", 4), ["abcd", "efgh", "ij k"]);
        assert_eq!(wrap("", 4), [""]);
        assert_eq!(wrap("  a\n\tb\u{1b}c ", 10), ["a b c"]);
        assert_eq!(wrap("abcd", 4), ["abcd"]);
        assert_eq!(wrap("abcdefghi", 8), ["abcde", "fghi"]);
        assert_eq!(wrap("àéèçô ù", 5), ["àéèçô", "ù"]);
    }

    #[test]
    fn groups_tokens_by_four() {
        assert_eq!(
            group_token("12345678901234567890"),
            "1234 5678 9012 3456 7890"
        );
        assert_eq!(group_token("1234-5678 9012"), "1234 5678 9012");
        assert_eq!(group_token("123456"), "1234 56");
    }

    #[test]
    fn right_aligns() {
        assert_eq!(right("é", 3), "  é");
        assert_eq!(right("abcd", 3), "abcd");
    }
}
