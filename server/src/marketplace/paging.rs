//! The list parameters (`page`, `per_page`, `status`, `order_by`, `order_dir`): their validation,
//! with the real (Laravel 5.0) rules and messages, and the page arithmetic with the real clamping.
//!
//! Laravel's rules, as the real service applies them:
//! - an absent, empty or whitespace-only value skips every rule but `required_with`;
//! - every rule of a parameter runs (no bail), so one parameter can collect several messages;
//! - `integer` is PHP's `FILTER_VALIDATE_INT` (`+10` passes, `010`, `10.0`, `1e1` fail);
//! - `min`/`max` compare the number when the value is numeric, and the *string length* otherwise
//!   (so `per_page=abc` is both "not an integer" and "at least 10");
//! - `per_page` is only applied together with `page`, `order_dir` only with `order_by`.

use serde_json::{Map, Value};

/// The list parameters as sent (absent when not in the query).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawListQuery {
    pub page: Option<String>,
    pub per_page: Option<String>,
    pub status: Option<String>,
    pub order_by: Option<String>,
    pub order_dir: Option<String>,
}

/// Which entries a list returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusFilter {
    #[default]
    All,
    Active,
    NonActive,
}

/// What a list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// `Created`.
    #[default]
    Date,
    /// `Name`, case-insensitively.
    Name,
}

/// A validated list request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListQuery {
    /// The requested page, from 1 (not clamped: the offset uses it as asked).
    pub page: i64,
    pub per_page: i64,
    pub status: StatusFilter,
    pub sort: SortKey,
    pub descending: bool,
}

pub const DEFAULT_PER_PAGE: i64 = 10;
pub const MIN_PER_PAGE: i64 = 10;
pub const MAX_PER_PAGE: i64 = 100;

/// The 412 `errors` object: parameter → its messages, in the rule order of the real service.
pub type ValidationMessages = Vec<(&'static str, Vec<&'static str>)>;

pub const PAGE_NOT_INTEGER: &str = "The page must be an integer.";
pub const PAGE_BELOW_MIN: &str = "The page must be at least 1.";
pub const PER_PAGE_REQUIRED: &str = "The per page field is required when page is present.";
pub const PER_PAGE_NOT_INTEGER: &str = "The per page must be an integer.";
pub const PER_PAGE_BELOW_MIN: &str = "The per page must be at least 10.";
pub const PER_PAGE_ABOVE_MAX: &str = "The per page may not be greater than 100.";
pub const STATUS_INVALID: &str = "The status field is does not has a valid value (all, active, non_active).";
pub const ORDER_BY_INVALID: &str = "The order by field is does not has a valid value (date, name).";
pub const ORDER_DIR_REQUIRED: &str = "The order dir field is required when order by is present.";
pub const ORDER_DIR_INVALID: &str = "The order dir field is does not has a valid value (desc, asc).";

/// PHP's `trim` set.
fn php_trim(s: &str) -> &str {
    s.trim_matches([' ', '\t', '\n', '\r', '\0', '\u{b}'])
}

/// A value the rules see: present and not blank.
fn filled(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !php_trim(v).is_empty())
}

/// PHP `filter_var($v, FILTER_VALIDATE_INT)`: optional surrounding whitespace, an optional sign,
/// no leading zeros, within a 64-bit integer.
pub fn php_int(value: &str) -> Option<i64> {
    let v = value.trim_matches([' ', '\t', '\n', '\r', '\u{b}']);
    let digits = v.strip_prefix(['+', '-']).unwrap_or(v);
    let well_formed =
        digits == "0" || (!digits.is_empty() && !digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit()));
    if !well_formed {
        return None;
    }
    v.strip_prefix('+').unwrap_or(v).parse().ok()
}

/// PHP `is_numeric`, as a number: optional leading whitespace, sign, digits with an optional
/// fraction and exponent.
fn php_numeric(value: &str) -> Option<f64> {
    let v = value.trim_start_matches([' ', '\t', '\n', '\r', '\u{b}', '\u{c}']);
    let body = v.strip_prefix(['+', '-']).unwrap_or(v);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = digits(int_part) && digits(frac_part) && !(int_part.is_empty() && frac_part.is_empty());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    if mantissa_ok && exponent_ok { v.parse().ok() } else { None }
}

/// The size `min`/`max` compare: the number, or the length in characters.
fn size(value: &str) -> f64 {
    php_numeric(value).unwrap_or_else(|| value.chars().count() as f64)
}

/// Validate the list parameters as the real service does; the 412 messages on failure.
pub fn validate(raw: &RawListQuery) -> Result<ListQuery, ValidationMessages> {
    let mut errors: ValidationMessages = Vec::new();
    let mut add = |param: &'static str, messages: Vec<&'static str>| {
        if !messages.is_empty() {
            errors.push((param, messages));
        }
    };

    let page = filled(&raw.page);
    let mut messages = Vec::new();
    if let Some(v) = page {
        if php_int(v).is_none() {
            messages.push(PAGE_NOT_INTEGER);
        }
        if size(v) < 1.0 {
            messages.push(PAGE_BELOW_MIN);
        }
    }
    add("page", messages);

    let per_page = filled(&raw.per_page);
    let mut messages = Vec::new();
    match per_page {
        None if page.is_some() => messages.push(PER_PAGE_REQUIRED),
        None => {}
        Some(v) => {
            if php_int(v).is_none() {
                messages.push(PER_PAGE_NOT_INTEGER);
            }
            if size(v) < MIN_PER_PAGE as f64 {
                messages.push(PER_PAGE_BELOW_MIN);
            }
            if size(v) > MAX_PER_PAGE as f64 {
                messages.push(PER_PAGE_ABOVE_MAX);
            }
        }
    }
    add("per_page", messages);

    let status = filled(&raw.status);
    let status_filter = match status {
        None | Some("all") => Some(StatusFilter::All),
        Some("active") => Some(StatusFilter::Active),
        Some("non_active") => Some(StatusFilter::NonActive),
        Some(_) => None,
    };
    add("status", if status_filter.is_none() { vec![STATUS_INVALID] } else { vec![] });

    let order_by = filled(&raw.order_by);
    let sort = match order_by {
        None | Some("date") => Some(SortKey::Date),
        Some("name") => Some(SortKey::Name),
        Some(_) => None,
    };
    add("order_by", if sort.is_none() { vec![ORDER_BY_INVALID] } else { vec![] });

    let order_dir = filled(&raw.order_dir);
    let descending = match order_dir {
        None | Some("asc") => Some(false),
        Some("desc") => Some(true),
        Some(_) => None,
    };
    let mut messages = Vec::new();
    if order_by.is_some() && order_dir.is_none() {
        messages.push(ORDER_DIR_REQUIRED);
    }
    if descending.is_none() {
        messages.push(ORDER_DIR_INVALID);
    }
    add("order_dir", messages);

    if !errors.is_empty() {
        return Err(errors);
    }
    // Everything is valid here, so the numbers parse.
    let page_number = page.and_then(php_int);
    Ok(ListQuery {
        page: page_number.unwrap_or(1),
        per_page: if page_number.is_some() {
            per_page.and_then(php_int).unwrap_or(DEFAULT_PER_PAGE)
        } else {
            DEFAULT_PER_PAGE
        },
        status: status_filter.unwrap_or_default(),
        sort: if order_by.is_some() { sort.unwrap_or_default() } else { SortKey::Date },
        descending: order_by.is_some() && descending.unwrap_or(false),
    })
}

/// The 412 body's `errors` object.
pub fn errors_json(messages: &ValidationMessages) -> Value {
    let map: Map<String, Value> =
        messages.iter().map(|(param, list)| (param.to_string(), Value::from(list.clone()))).collect();
    Value::Object(map)
}

/// Where a page sits in the whole list, as Laravel 5.0's `LengthAwarePaginator` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PagePosition {
    pub total: i64,
    pub per_page: i64,
    /// The requested page, clamped to the last page (1 when there is none).
    pub current_page: i64,
    /// ceil(total / per_page): 0 for an empty list.
    pub last_page: i64,
    pub from: i64,
    pub to: i64,
}

impl ListQuery {
    /// The number of entries before the requested page (the requested page, not the clamped one:
    /// a page beyond the last is empty).
    pub fn offset(&self) -> i64 {
        self.page.saturating_sub(1).saturating_mul(self.per_page)
    }

    /// The position of a page of `count` entries out of `total`.
    pub fn position(&self, total: i64, count: i64) -> PagePosition {
        let last_page = (total + self.per_page - 1) / self.per_page;
        let current_page = self.page.min(last_page.max(1));
        let from = (current_page - 1) * self.per_page + 1;
        PagePosition { total, per_page: self.per_page, current_page, last_page, from, to: from + count - 1 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(pairs: &[(&str, &str)]) -> RawListQuery {
        let get = |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string());
        RawListQuery {
            page: get("page"),
            per_page: get("per_page"),
            status: get("status"),
            order_by: get("order_by"),
            order_dir: get("order_dir"),
        }
    }

    #[test]
    fn php_integers() {
        assert_eq!(php_int("10"), Some(10));
        assert_eq!(php_int("+10"), Some(10));
        assert_eq!(php_int(" 10 "), Some(10));
        assert_eq!(php_int("-3"), Some(-3));
        for bad in ["010", "10.0", "1e1", "abc", "", "+", "99999999999999999999"] {
            assert_eq!(php_int(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_documented_412s() {
        assert_eq!(validate(&raw(&[("page", "2")])).unwrap_err(), vec![("per_page", vec![PER_PAGE_REQUIRED])]);
        assert_eq!(
            validate(&raw(&[("page", "1"), ("per_page", "abc")])).unwrap_err(),
            vec![("per_page", vec![PER_PAGE_NOT_INTEGER, PER_PAGE_BELOW_MIN])]
        );
        assert_eq!(
            validate(&raw(&[("page", "abc"), ("per_page", "10")])).unwrap_err(),
            vec![("page", vec![PAGE_NOT_INTEGER])]
        );
        assert_eq!(
            validate(&raw(&[
                ("page", "0"),
                ("per_page", "500"),
                ("status", "on"),
                ("order_by", "price"),
                ("order_dir", "up")
            ]))
            .unwrap_err(),
            vec![
                ("page", vec![PAGE_BELOW_MIN]),
                ("per_page", vec![PER_PAGE_ABOVE_MAX]),
                ("status", vec![STATUS_INVALID]),
                ("order_by", vec![ORDER_BY_INVALID]),
                ("order_dir", vec![ORDER_DIR_INVALID]),
            ]
        );
        assert_eq!(validate(&raw(&[("order_by", "name")])).unwrap_err(), vec![("order_dir", vec![ORDER_DIR_REQUIRED])]);
    }

    #[test]
    fn per_page_and_order_dir_alone_are_validated_then_ignored() {
        let q = validate(&raw(&[("per_page", "50"), ("order_dir", "desc"), ("page", "")])).unwrap();
        assert_eq!((q.page, q.per_page, q.descending), (1, 10, false));
        assert!(validate(&raw(&[("per_page", "5")])).is_err());
        let q =
            validate(&raw(&[("page", "+2"), ("per_page", "20"), ("order_by", "name"), ("order_dir", "desc")])).unwrap();
        assert_eq!((q.page, q.per_page, q.sort, q.descending), (2, 20, SortKey::Name, true));
    }

    #[test]
    fn pages_beyond_the_last_are_clamped_but_empty() {
        let q = ListQuery { page: 5, per_page: 10, status: StatusFilter::All, sort: SortKey::Date, descending: false };
        assert_eq!(q.offset(), 40);
        let p = q.position(15, 0);
        assert_eq!((p.current_page, p.last_page, p.from, p.to), (2, 2, 11, 10));
        let p = q.position(0, 0);
        assert_eq!((p.current_page, p.last_page, p.from, p.to), (1, 0, 1, 0));
    }
}
