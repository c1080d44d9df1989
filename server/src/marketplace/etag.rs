//! Conditional requests: the strong ETag of a 200 (the md5 of its exact body) and the real
//! service's `If-None-Match` comparison.
//!
//! The comparison is the real one, which is looser and stricter than RFC 9110 in places: the header
//! is split on commas, double quotes are removed, and only the *first* entry counts. So `"abc"` and
//! `abc` match, while `W/"abc"` (which becomes `W/abc`) and `*` never do.

use openssl::hash::{MessageDigest, hash};

/// `"` + the lowercase hex md5 of `body` + `"`.
pub fn etag_of(body: &[u8]) -> String {
    let digest = hash(MessageDigest::md5(), body).expect("md5 is available");
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// Whether an `If-None-Match` value matches `etag` (a quoted ETag from [`etag_of`]).
pub fn if_none_match_matches(header: &str, etag: &str) -> bool {
    let first = header.split(',').next().unwrap_or_default().trim().replace('"', "");
    !first.is_empty() && first == etag.trim_matches('"')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_real_services_test_vectors() {
        let empty_page = r#"{"total":0,"per_page":10,"current_page":1,"last_page":0,"next_page_url":null,"prev_page_url":null,"from":1,"to":0,"data":[]}"#;
        assert_eq!(etag_of(empty_page.as_bytes()), "\"aa5fbcb7715e5b9ca841e146b0d2a922\"");
        assert_eq!(etag_of(format!("/**/cb({empty_page});").as_bytes()), "\"135ea265ffce51af6cc976addbf9f315\"");
        assert_eq!(etag_of(br#"{"offices":[]}"#), "\"9782bebfaf0ff50cab80a1daceaf06fc\"");
        assert_eq!(etag_of(br#"{"datacenters":[]}"#), "\"a2265d5a1e8efd1ec1f7127573cd4ddc\"");
    }

    #[test]
    fn only_the_first_entry_counts_and_quotes_are_dropped() {
        let tag = "\"9782bebfaf0ff50cab80a1daceaf06fc\"";
        assert!(if_none_match_matches(tag, tag));
        assert!(if_none_match_matches("9782bebfaf0ff50cab80a1daceaf06fc", tag));
        assert!(if_none_match_matches(&format!(" {tag} , \"other\""), tag));
        assert!(!if_none_match_matches(&format!("\"other\", {tag}"), tag));
        assert!(!if_none_match_matches(&format!("W/{tag}"), tag));
        assert!(!if_none_match_matches("*", tag));
    }
}
