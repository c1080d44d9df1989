//! The reference documents, read as data.
//!
//! The five documents in `../shared/reference-docs/` are standin's first authority. This module
//! finds every example block in them (a documented request or response) so that tests can prove each
//! one is transcribed into a contract, and transcribed verbatim unless `openapi/ERRATA.md` says why not.
//!
//! Each document renders its examples differently, so each has its own notion of a *marker*: the
//! line that opens an example block. A block is addressed by a *locator*, `"<doc>:<line>"` (1-based,
//! as `grep -n` prints it), except in document 003, which is one single line of reStructuredText:
//! there the locator is `"003:block<N>"`, the N-th `.. sourcecode:: http` block.
//!
//! | doc | response marker | request marker |
//! |-----|-----------------|----------------|
//! | 000, 001 | a status line such as `200 Success` | the `Content:` line of a request body |
//! | 002 | `**Example Get Orders: JSON response**` | `**Example Get Orders: JSON request**` |
//! | 003 | a `.. sourcecode:: http` block starting `HTTP/1.1` | a block starting with a method |
//! | 004 | `HTTP/1.1 <code> <reason>` | `<METHOD> <path> HTTP/1.1` |

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// One of the five reference documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocumentId {
    /// Barbican Orders API, current edition, plain-text rendering.
    D000,
    /// The same reference as 000, reStructuredText source.
    D001,
    /// Barbican Get Orders, 2014 edition.
    D002,
    /// OpenStackID Marketplace API (2015), one long line of reStructuredText.
    D003,
    /// INDIGO PaaS Orchestrator REST API (Spring REST Docs, 2023).
    D004,
}

impl DocumentId {
    pub const ALL: [DocumentId; 5] =
        [DocumentId::D000, DocumentId::D001, DocumentId::D002, DocumentId::D003, DocumentId::D004];

    /// The three-digit prefix of the document's file name, as used in locators.
    pub fn prefix(self) -> &'static str {
        match self {
            DocumentId::D000 => "000",
            DocumentId::D001 => "001",
            DocumentId::D002 => "002",
            DocumentId::D003 => "003",
            DocumentId::D004 => "004",
        }
    }

    /// The contract (`openapi/<name>.yaml`) that transcribes this document.
    pub fn contract(self) -> &'static str {
        match self {
            DocumentId::D000 | DocumentId::D001 | DocumentId::D002 => "barbican",
            DocumentId::D003 => "marketplace",
            DocumentId::D004 => "orchestrator",
        }
    }
}

/// Whether an example block shows a request or a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Request,
    Response,
}

/// One documented example: where it is, what it is, and its body if it has one.
#[derive(Debug, Clone)]
pub struct ExampleBlock {
    pub doc: DocumentId,
    /// `"004:313"` or `"003:block3"`.
    pub locator: String,
    pub kind: BlockKind,
    /// The request line (`GET /deployments HTTP/1.1`) or status line, where the document gives one.
    pub start_line: Option<String>,
    /// The body as it stands in the document, if the block has one.
    pub body: Option<String>,
}

impl ExampleBlock {
    /// The body parsed as JSON; `None` when there is no body, `Some(Err)` when it is not valid JSON.
    pub fn json_body(&self) -> Option<Result<serde_json::Value, serde_json::Error>> {
        self.body.as_deref().map(serde_json::from_str)
    }

    /// The HTTP status of a response block, where the document states one.
    pub fn status(&self) -> Option<u16> {
        let line = self.start_line.as_deref()?;
        let rest = line.strip_prefix("HTTP/1.1 ").unwrap_or(line);
        rest.split_whitespace().next()?.parse().ok()
    }
}

/// Where the reference documents are: `$STANDIN_REFERENCE_DOCS`, or `../shared/reference-docs`
/// beside the repository (the layout every developer machine and CI has).
pub fn reference_docs_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("STANDIN_REFERENCE_DOCS") {
        return PathBuf::from(dir);
    }
    repo_root().join("../shared/reference-docs")
}

/// The repository root (the workspace directory).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("contract-tests sits in the workspace").to_path_buf()
}

/// The text of a document, read once per process.
pub fn document_text(doc: DocumentId) -> &'static str {
    static TEXTS: OnceLock<Vec<(DocumentId, String)>> = OnceLock::new();
    let texts = TEXTS.get_or_init(|| {
        let dir = reference_docs_dir();
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot read the reference documents in {}: {e}", dir.display()));
        let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        files.sort();
        DocumentId::ALL
            .iter()
            .map(|&doc| {
                let path = files
                    .iter()
                    .find(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(doc.prefix())))
                    .unwrap_or_else(|| panic!("reference document {} is missing from {}", doc.prefix(), dir.display()));
                let text =
                    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
                (doc, text)
            })
            .collect()
    });
    texts.iter().find(|(d, _)| *d == doc).map(|(_, t)| t.as_str()).expect("every document is loaded")
}

/// Every example block of a document, in document order.
pub fn example_blocks(doc: DocumentId) -> Vec<ExampleBlock> {
    let text = document_text(doc);
    match doc {
        DocumentId::D000 | DocumentId::D001 => blocks_orders_reference(doc, text),
        DocumentId::D002 => blocks_2014_edition(text),
        DocumentId::D003 => blocks_marketplace(text),
        DocumentId::D004 => blocks_spring_rest_docs(text),
    }
}

/// 000/001: a response opens with a status line (`200 Success`), a request body with `Content:`.
/// The body, if any, is the first JSON value after the marker, before the next marker.
fn blocks_orders_reference(doc: DocumentId, text: &str) -> Vec<ExampleBlock> {
    let lines: Vec<&str> = text.lines().collect();
    let is_status_line = |l: &str| {
        let l = l.trim();
        let mut parts = l.splitn(2, ' ');
        let code = parts.next().unwrap_or("");
        let reason = parts.next().unwrap_or("");
        code.len() == 3
            && code.bytes().all(|b| b.is_ascii_digit())
            && reason.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && reason.chars().all(|c| c.is_ascii_alphabetic() || c == ' ')
    };
    let mut blocks = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let kind = if is_status_line(line) {
            BlockKind::Response
        } else if line.trim() == "Content:" {
            BlockKind::Request
        } else {
            continue;
        };
        let body = first_json_after(&lines[i + 1..], |l| is_status_line(l) || l.trim() == "Content:");
        blocks.push(ExampleBlock {
            doc,
            locator: format!("{}:{}", doc.prefix(), i + 1),
            kind,
            start_line: (kind == BlockKind::Response).then(|| line.trim().to_string()),
            body,
        });
    }
    blocks
}

/// 002: `**Example Get Orders: JSON request**` / `... response**`, each followed by a `.. code::` block.
fn blocks_2014_edition(text: &str) -> Vec<ExampleBlock> {
    let lines: Vec<&str> = text.lines().collect();
    let is_marker = |l: &str| l.trim().starts_with("**Example") && l.trim().ends_with("**");
    let mut blocks = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if !is_marker(line) {
            continue;
        }
        let kind = if line.contains("response") { BlockKind::Response } else { BlockKind::Request };
        let body = match kind {
            BlockKind::Response => first_json_after(&lines[i + 1..], is_marker),
            BlockKind::Request => None,
        };
        blocks.push(ExampleBlock {
            doc: DocumentId::D002,
            locator: format!("002:{}", i + 1),
            kind,
            start_line: None,
            body,
        });
    }
    blocks
}

/// The first JSON value in `lines` that starts a line, stopping at a line for which `stop` holds.
/// The value runs to its balanced closing bracket, or to the end of the text if it never closes
/// (a truncated example: then it will not parse, and the contract must carry an erratum).
fn first_json_after(lines: &[&str], stop: impl Fn(&str) -> bool) -> Option<String> {
    for (j, l) in lines.iter().enumerate() {
        if stop(l) {
            return None;
        }
        let t = l.trim_start();
        if t.starts_with('{') || t.starts_with('[') {
            let rest = lines[j..].join("\n");
            let start = rest.find(['{', '[']).expect("the line starts with a bracket");
            return Some(balanced_json(&rest[start..]).to_string());
        }
    }
    None
}

/// 003: the text after each `.. sourcecode:: http`, up to the next block or `**Example` label.
fn blocks_marketplace(text: &str) -> Vec<ExampleBlock> {
    const MARK: &str = ".. sourcecode:: http";
    let mut blocks = Vec::new();
    for (n, chunk) in text.split(MARK).skip(1).enumerate() {
        let chunk = chunk.split("**Example").next().unwrap_or(chunk).trim();
        let kind = if chunk.starts_with("HTTP/") { BlockKind::Response } else { BlockKind::Request };
        let start_line = match kind {
            BlockKind::Response => chunk.split_whitespace().take(3).collect::<Vec<_>>().join(" "),
            BlockKind::Request => chunk.split_whitespace().take(3).collect::<Vec<_>>().join(" "),
        };
        // The body is the first bracket that follows white space (a path's `{id}` does not).
        let body = chunk
            .char_indices()
            .find(|&(i, c)| (c == '{' || c == '[') && i > 0 && chunk[..i].ends_with(char::is_whitespace))
            .map(|(i, _)| balanced_json(&chunk[i..]).to_string());
        blocks.push(ExampleBlock {
            doc: DocumentId::D003,
            locator: format!("003:block{}", n + 1),
            kind,
            start_line: Some(start_line),
            body,
        });
    }
    blocks
}

/// 004: HTTP exchanges rendered as text. Headers follow the start line up to a blank line; the
/// body is exactly `Content-Length` bytes after it (Spring REST Docs computes it from the body).
fn blocks_spring_rest_docs(text: &str) -> Vec<ExampleBlock> {
    let methods = ["GET ", "POST ", "PUT ", "PATCH ", "DELETE "];
    let mut blocks = Vec::new();
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let line_start = offset;
        offset += line.len();
        let l = line.trim_end();
        let kind = if l.starts_with("HTTP/1.1 ") {
            BlockKind::Response
        } else if methods.iter().any(|m| l.starts_with(m)) && l.ends_with(" HTTP/1.1") {
            BlockKind::Request
        } else {
            continue;
        };
        let after = &text[line_start + line.len()..];
        let header_end = after.find("\n\n").map(|p| p + 2).unwrap_or(after.len());
        let headers = &after[..header_end];
        let content_length = headers.lines().find_map(|h| {
            let (name, value) = h.split_once(':')?;
            name.trim().eq_ignore_ascii_case("content-length").then(|| value.trim().parse::<usize>().ok())?
        });
        let body = content_length.filter(|&n| n > 0).map(|n| {
            let rest = &after[header_end..];
            // Content-Length counts bytes; never split a character.
            let mut end = n.min(rest.len());
            while !rest.is_char_boundary(end) {
                end -= 1;
            }
            rest[..end].to_string()
        });
        blocks.push(ExampleBlock {
            doc: DocumentId::D004,
            locator: format!("004:{}", i + 1),
            kind,
            start_line: Some(l.to_string()),
            body,
        });
    }
    blocks
}

/// The prefix of `s` (which starts with `{` or `[`) up to its balanced closing bracket, honouring
/// JSON strings and escapes; all of `s` if the brackets never balance.
fn balanced_json(s: &str) -> &str {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' => depth += 1,
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return &s[..=i];
                }
            }
            _ => {}
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balanced_json_stops_at_the_matching_bracket_and_ignores_brackets_in_strings() {
        assert_eq!(balanced_json(r#"{"a": "}{", "b": [1, {"c": 2}]} trailing"#), r#"{"a": "}{", "b": [1, {"c": 2}]}"#);
        assert_eq!(balanced_json(r#"{"a": "\"}"} x"#), r#"{"a": "\"}"}"#);
        assert_eq!(balanced_json(r#"{"open": 1"#), r#"{"open": 1"#);
    }
}
