//! Barbican's paging: how `limit` and `offset` are cleaned, and the `previous`/`next` hrefs.
//!
//! Barbican never rejects paging values: anything it cannot use falls back to a default
//! (`../shared/fidelity/barbican.md` §3). Query values arrive as text and are read like Python's `int()`.

/// Barbican's `default_limit_paging`.
pub const DEFAULT_LIMIT: i64 = 10;
/// Barbican's `max_limit_paging`.
pub const MAX_LIMIT: i64 = 100;

/// Cleaned paging values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub limit: i64,
    pub offset: i64,
}

/// Python's `int(text)`: surrounding white space, a sign, leading zeros and single underscores
/// between digits are accepted; anything else (`1.5`, `0x10`, `abc`) is not an int.
fn python_int(text: &str) -> Option<i128> {
    let t = text.trim();
    let (negative, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty() || digits.starts_with('_') || digits.ends_with('_') || digits.contains("__") {
        return None;
    }
    if !digits.bytes().all(|b| b.is_ascii_digit() || b == b'_') {
        return None;
    }
    let cleaned: String = digits.chars().filter(|c| *c != '_').collect();
    // Longer than i128 can hold: treat as "too big", which both callers clamp.
    let value = cleaned.parse::<i128>().unwrap_or(i128::MAX);
    Some(if negative { -value } else { value })
}

/// Clean raw `limit` and `offset` query values as Barbican does.
pub fn clean_paging(limit: Option<&str>, offset: Option<&str>) -> Paging {
    let offset = match offset.filter(|s| !s.is_empty()).and_then(python_int) {
        None => 0,
        Some(o) if o < 0 || o > i64::MAX as i128 => 0,
        Some(o) => o as i64,
    };
    let limit = match limit.filter(|s| !s.is_empty()).and_then(python_int) {
        None => DEFAULT_LIMIT,
        Some(l) if l < 1 => 1,
        Some(l) if l > MAX_LIMIT as i128 => MAX_LIMIT,
        Some(l) => l as i64,
    };
    Paging { limit, offset }
}

/// The `previous` and `next` hrefs of a non-empty page (both `None` for an empty page).
pub fn nav_links(base_url: &str, paging: Paging, total: i64, page_len: usize) -> (Option<String>, Option<String>) {
    if page_len == 0 {
        return (None, None);
    }
    let href = |offset: i64| format!("{base_url}/v1/orders?limit={}&offset={offset}", paging.limit);
    let previous = (paging.offset > 0).then(|| href((paging.offset - paging.limit).max(0)));
    let next = (total > paging.offset.saturating_add(paging.limit)).then(|| href(paging.offset + paging.limit));
    (previous, next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_like_barbican() {
        let p = |l: Option<&str>, o: Option<&str>| {
            let c = clean_paging(l, o);
            (c.limit, c.offset)
        };
        assert_eq!(p(None, None), (10, 0));
        assert_eq!(p(Some(""), Some("")), (10, 0));
        assert_eq!(p(Some("abc"), Some("abc")), (10, 0));
        assert_eq!(p(Some("2.5"), Some("1.5")), (10, 0));
        assert_eq!(p(Some("0x10"), Some("0x10")), (10, 0));
        assert_eq!(p(Some("0"), Some("-4")), (1, 0));
        assert_eq!(p(Some("-0"), None), (1, 0));
        assert_eq!(p(Some("1000"), None), (100, 0));
        assert_eq!(p(Some(" +05 "), Some("1_0")), (5, 10));
        assert_eq!(p(None, Some("9223372036854775807")), (10, i64::MAX));
        assert_eq!(p(None, Some("9223372036854775808")), (10, 0));
        assert_eq!(p(Some("99999999999999999999999999999999999999999"), None), (100, 0));
    }

    #[test]
    fn nav_links_follow_the_observed_rules() {
        let base = "http://localhost:9311";
        let links = |limit, offset, total, len| nav_links(base, Paging { limit, offset }, total, len);
        assert_eq!(
            links(5, 5, 15, 5),
            (
                Some("http://localhost:9311/v1/orders?limit=5&offset=0".into()),
                Some("http://localhost:9311/v1/orders?limit=5&offset=10".into())
            )
        );
        assert_eq!(links(5, 12, 15, 3), (Some("http://localhost:9311/v1/orders?limit=5&offset=7".into()), None));
        assert_eq!(links(10, 15, 15, 0), (None, None));
    }
}
