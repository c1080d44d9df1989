//! How a suite's results are shown: a plain-text table for people, JUnit XML for CI systems.

use std::fmt::Write as _;

use super::{SuiteReport, Verdict};

/// `PASS`, `FAIL`, `KNOWN (B9)` or `SKIP`.
pub fn verdict_label(verdict: &Verdict) -> String {
    match verdict {
        Verdict::Pass => "PASS".into(),
        Verdict::Fail(_) => "FAIL".into(),
        Verdict::KnownDifference { errata, .. } => format!("KNOWN ({errata})"),
        Verdict::Skip(_) => "SKIP".into(),
    }
}

/// The reason column: empty for a pass.
pub fn verdict_reason(verdict: &Verdict) -> String {
    match verdict {
        Verdict::Pass => String::new(),
        Verdict::Fail(f) => f.to_string(),
        Verdict::KnownDifference { errata, failure } => format!("{failure} (openapi/ERRATA.md {errata})"),
        Verdict::Skip(why) => why.clone(),
    }
}

/// The table: operation, status, check, result, reason; then a summary line.
pub fn table(report: &SuiteReport) -> String {
    let header = ["operation", "status", "check", "result", "reason"];
    let rows: Vec<[String; 5]> = report
        .results
        .iter()
        .map(|r| {
            [
                r.operation_id.to_string(),
                r.status.to_string(),
                r.name.to_string(),
                verdict_label(&r.verdict),
                verdict_reason(&r.verdict),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, cells: [&str; 5]| {
        let mut text = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if i == 4 {
                text.push_str(cell);
            } else {
                let _ = write!(text, "{cell:<w$}  ");
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(&mut out, header);
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    line(&mut out, [&rule[0], &rule[1], &rule[2], &rule[3], &rule[4]]);
    for row in &rows {
        line(&mut out, [&row[0], &row[1], &row[2], &row[3], &row[4]]);
    }
    let _ = writeln!(out, "\n{}", summary(report));
    out
}

/// `48 checks against URL: 45 passed, 1 failed, 2 known differences, 0 skipped`.
pub fn summary(report: &SuiteReport) -> String {
    let passed = report.count(|v| matches!(v, Verdict::Pass));
    let known = report.count(|v| matches!(v, Verdict::KnownDifference { .. }));
    format!(
        "{} {} checks against {}: {passed} passed, {} failed, {known} known differences, {} skipped",
        report.results.len(),
        report.api.contract_name(),
        report.target,
        report.failures(),
        report.skipped(),
    )
}

fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => out.push_str(&format!("&#x{:x};", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// JUnit XML: one `testsuite` per run, one `testcase` per check (class name = operation id). A known
/// difference is reported as passed with its reason in `system-out`, so CI dashboards stay green for
/// what `openapi/ERRATA.md` lists.
pub fn junit_xml(report: &SuiteReport) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites><testsuite name=\"standin-conformance {}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">",
        report.api.contract_name(),
        report.results.len(),
        report.failures(),
        report.skipped()
    );
    for r in &report.results {
        let name = xml_escape(&format!("{} {}", r.status, r.name));
        let _ = write!(out, "  <testcase classname=\"{}\" name=\"{name}\"", xml_escape(r.operation_id));
        match &r.verdict {
            Verdict::Pass => out.push_str("/>\n"),
            Verdict::Fail(f) => {
                let _ = writeln!(out, "><failure message=\"{}\"/></testcase>", xml_escape(&f.to_string()));
            }
            Verdict::KnownDifference { .. } => {
                let _ =
                    writeln!(out, "><system-out>{}</system-out></testcase>", xml_escape(&verdict_reason(&r.verdict)));
            }
            Verdict::Skip(why) => {
                let _ = writeln!(out, "><skipped message=\"{}\"/></testcase>", xml_escape(why));
            }
        }
    }
    out.push_str("</testsuite></testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conformance::{Api, CheckReport, Failure};

    fn sample() -> SuiteReport {
        let failure = Failure {
            what: "body".into(),
            expected: "\"Order not found.\"".into(),
            received: "\"\"".into(),
            json_path: Some("$.description".into()),
        };
        SuiteReport {
            api: Api::Barbican,
            target: "http://127.0.0.1:1".into(),
            results: vec![
                CheckReport { operation_id: "getOrder", status: 200, name: "reads it back", verdict: Verdict::Pass },
                CheckReport {
                    operation_id: "getOrder",
                    status: 404,
                    name: "unknown id <&>",
                    verdict: Verdict::Fail(failure.clone()),
                },
                CheckReport {
                    operation_id: "listOrders",
                    status: 401,
                    name: "bad token",
                    verdict: Verdict::KnownDifference { errata: "B9", failure },
                },
            ],
        }
    }

    #[test]
    fn the_table_shows_expected_received_and_the_json_path() {
        let text = table(&sample());
        assert!(text.starts_with("operation"), "{text}");
        assert!(
            text.contains("FAIL        body: expected \"Order not found.\", received \"\" at $.description"),
            "{text}"
        );
        assert!(text.contains("KNOWN (B9)"), "{text}");
        assert!(text.contains("3 barbican checks against http://127.0.0.1:1: 1 passed, 1 failed, 1 known"), "{text}");
    }

    #[test]
    fn junit_counts_failures_and_escapes_text() {
        let xml = junit_xml(&sample());
        assert!(xml.contains("tests=\"3\" failures=\"1\" skipped=\"0\""), "{xml}");
        assert!(xml.contains("name=\"404 unknown id &lt;&amp;&gt;\""), "{xml}");
        assert!(xml.contains("<failure message=\"body: expected &quot;Order not found.&quot;"), "{xml}");
        assert_eq!(xml.matches("<testcase").count(), 3);
    }
}
