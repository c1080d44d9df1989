//! Bad input on every operation of every API, generated from the contracts (issue 10): malformed
//! JSON, wrong types, huge bodies, deep nesting, invalid UTF-8, wrong or missing Content-Type,
//! repeated and odd query parameters, path traversal and control characters in ids, oversized
//! headers. Every answer is below 500 and, when it is an error, the API's own error body.
//!
//! Requests are written by hand on a raw TCP connection ([`raw`]) so that bytes no HTTP client
//! would send (invalid UTF-8, control characters, a Content-Length the body never reaches) can be
//! sent. The figures (cases per API) are printed; `docs/reliability.md` records them.

use std::time::Duration;

use serde_json::{Value, json};
use standin::config::ApiKind;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::harness::TestStandin;

/// One answer read off a raw connection.
#[derive(Debug)]
pub struct RawAnswer {
    pub status: u16,
    #[allow(dead_code)]
    pub head: String,
    pub body: Vec<u8>,
}

/// Send `request` as is on a new connection and read the answer (the request should say
/// `Connection: close`). `None` when the server closed the connection without answering.
pub async fn raw(addr: std::net::SocketAddr, request: &[u8]) -> Option<RawAnswer> {
    let mut stream = TcpStream::connect(addr).await.expect("connects");
    // A server that answers before reading the whole body may reset the connection: keep going.
    let _ = stream.write_all(request).await;
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(15), async {
        let mut chunk = [0u8; 16384];
        loop {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
    })
    .await;
    if read.is_err() {
        // Reported as a 599 so the caller lists it with the other failures.
        return Some(RawAnswer { status: 599, head: String::new(), body: b"no answer within 15 s".to_vec() });
    }
    parse(&buf)
}

fn parse(buf: &[u8]) -> Option<RawAnswer> {
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&buf[..end]).to_string();
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    let rest = &buf[end + 4..];
    let chunked = head.lines().any(|l| {
        let l = l.to_ascii_lowercase();
        l.starts_with("transfer-encoding:") && l.contains("chunked")
    });
    let body = if chunked { dechunk(rest) } else { rest.to_vec() };
    Some(RawAnswer { status, head, body })
}

fn dechunk(mut rest: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = rest.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&rest[..line_end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = line_end + 2;
        let stop = (start + size).min(rest.len());
        out.extend_from_slice(&rest[start..stop]);
        rest = &rest[(stop + 2).min(rest.len())..];
    }
    out
}

/// The four contracts and what their callers send.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Api {
    Barbican,
    Marketplace,
    Orchestrator,
    Control,
}

impl Api {
    const ALL: [Api; 4] = [Api::Barbican, Api::Marketplace, Api::Orchestrator, Api::Control];

    fn contract(self) -> &'static str {
        match self {
            Api::Barbican => "barbican",
            Api::Marketplace => "marketplace",
            Api::Orchestrator => "orchestrator",
            Api::Control => "control",
        }
    }

    fn listener(self) -> ApiKind {
        match self {
            Api::Barbican | Api::Control => ApiKind::Barbican,
            Api::Marketplace => ApiKind::Marketplace,
            Api::Orchestrator => ApiKind::Orchestrator,
        }
    }

    fn prefix(self) -> &'static str {
        if self == Api::Control { "/_standin" } else { "" }
    }

    fn auth_headers(self) -> String {
        match self {
            Api::Barbican => "X-Project-Id: bad-input\r\n".into(),
            Api::Marketplace => format!("Authorization: Bearer {}\r\n", standin::marketplace::auth::DEFAULT_TOKEN),
            Api::Orchestrator => format!("Authorization: Bearer {}\r\n", standin::orchestrator::auth::USER_TOKEN),
            Api::Control => String::new(),
        }
    }

    /// Whether `body` is this API's error body.
    fn is_error_body(self, body: &Value) -> bool {
        let has = |k: &str| body.get(k).is_some();
        match self {
            Api::Barbican => has("code") && has("title") && has("description"),
            Api::Orchestrator => has("code") && has("title"),
            Api::Marketplace => has("message") || (has("error") && has("error_description")),
            Api::Control => body.get("message").and_then(Value::as_str).is_some(),
        }
    }
}

/// A concrete path for a template, each `{param}` replaced by `id` (the API version segment kept real).
fn concrete(template: &str, id: &str) -> String {
    template
        .split('/')
        .map(|seg| match seg {
            "{version}" => "v1".to_string(),
            s if s.starts_with('{') && s.ends_with('}') => id.to_string(),
            s => s.to_string(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The request body schema's properties (following one `$ref`), for the wrong-types case.
fn body_properties(doc: &Value, op: &Value) -> Vec<(String, String)> {
    let resolve = |v: &Value| -> Value {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => doc.pointer(r.trim_start_matches('#')).cloned().unwrap_or(Value::Null),
            None => v.clone(),
        }
    };
    let body = resolve(op.get("requestBody").unwrap_or(&Value::Null));
    let Some(schema) = body.pointer("/content/application~1json/schema").map(resolve) else { return Vec::new() };
    let props = schema.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
    props
        .iter()
        .map(|(k, v)| {
            let v = resolve(v);
            (k.clone(), v.get("type").and_then(Value::as_str).unwrap_or("any").to_string())
        })
        .collect()
}

/// A value of the wrong type for a property of `kind`.
fn wrong(kind: &str) -> Value {
    match kind {
        "string" => json!(12345),
        "integer" | "number" => json!("not a number"),
        "object" => json!([1, 2]),
        "array" => json!({"not": "an array"}),
        "boolean" => json!("yes"),
        _ => json!([[{}]]),
    }
}

struct Case {
    kind: &'static str,
    path: Vec<u8>,
    extra_headers: String,
    content_type: Option<&'static str>,
    body: Vec<u8>,
    /// Declared Content-Length when it differs from the body sent (a huge body never sent whole).
    declared_length: Option<usize>,
    /// Sent with `Transfer-Encoding: chunked` (no length to refuse it by: the cap counts as it reads).
    chunked: bool,
    /// Rejected by the HTTP layer (hyper) before any routing: an answer below 500 or a closed
    /// connection is all that can be asked.
    http_layer: bool,
}

fn case(kind: &'static str, path: impl Into<Vec<u8>>) -> Case {
    Case {
        kind,
        path: path.into(),
        extra_headers: String::new(),
        content_type: Some("application/json"),
        body: Vec::new(),
        declared_length: None,
        chunked: false,
        http_layer: false,
    }
}

fn cases(api: Api, method: &str, template: &str, props: &[(String, String)]) -> Vec<Case> {
    let p = api.prefix();
    let path = format!("{p}{}", concrete(template, "bad-input-id"));
    let with_body = |kind, body: &[u8]| Case { body: body.to_vec(), ..case(kind, path.clone()) };
    let mut out = vec![
        with_body("malformed JSON", br#"{"type": "key", "meta": {"#),
        with_body("malformed JSON", b"{'single': 'quotes'}"),
        with_body("malformed JSON", b"\x00\x01\x02"),
        with_body("wrong types", b"[1, 2, 3]"),
        with_body("wrong types", b"\"a string\""),
        with_body("wrong types", b"null"),
        with_body("wrong types", b"42"),
        with_body("deep nesting", &[b"[".repeat(100_000), b"]".repeat(100_000)].concat()),
        with_body("deep nesting", format!("{}1{}", "{\"a\":".repeat(50_000), "}".repeat(50_000)).as_bytes()),
        with_body("invalid UTF-8", b"{\"type\": \"key\xff\xfe\", \"template\": \"\xc3\x28\"}"),
        Case { content_type: Some("text/plain"), ..with_body("wrong Content-Type", br#"{"type": "key"}"#) },
        Case { content_type: Some("application/x-www-form-urlencoded"), ..with_body("wrong Content-Type", b"a=b") },
        Case {
            content_type: Some("application/json; charset=\u{7f}bogus"),
            http_layer: true,
            ..with_body("wrong Content-Type", b"{}")
        },
        Case { content_type: None, ..with_body("missing Content-Type", br#"{"type": "key"}"#) },
        // Declared 64 MiB, 64 KiB sent: a capped server answers without waiting for the rest.
        Case {
            declared_length: Some(64 * 1024 * 1024),
            ..with_body("huge body", &[b"{\"a\": \"".as_slice(), &b"x".repeat(64 * 1024)].concat())
        },
        // 9 MiB in 1 MiB chunks, no Content-Length: over every cap, counted as it is read.
        Case {
            chunked: true,
            ..with_body("huge body", &[b"{\"a\": \"".as_slice(), &b"x".repeat(9 * 1024 * 1024), b"\"}"].concat())
        },
        // 9 MiB sent whole: over every cap.
        with_body("huge body", &[b"{\"a\": \"".as_slice(), &b"x".repeat(9 * 1024 * 1024), b"\"}"].concat()),
    ];
    if !props.is_empty() {
        let all_wrong: serde_json::Map<String, Value> = props.iter().map(|(k, t)| (k.clone(), wrong(t))).collect();
        out.push(with_body("wrong types", Value::Object(all_wrong).to_string().as_bytes()));
        for (k, t) in props {
            out.push(with_body("wrong types", json!({ k: wrong(t) }).to_string().as_bytes()));
        }
    }
    for query in [
        "?limit=1&limit=2&limit=3&offset=0&offset=1&page=0&page=1&size=1&size=2&per_page=1&per_page=1000",
        "?limit=-1&offset=-99999999999999999999&page=abc&size=1e9&per_page=NaN&sort=%00&status=%ff",
        "?%00=%00&=&&&;&a[]=1&a[b]=2&callback=alert(1)//&callback=x&expand=%0d%0a",
        "?order_by=%27%20OR%201=1--&order_dir=sideways&createdBy=%2e%2e%2f&type=%1b[31m",
        "?q=%E0%A4%A&limit=%C3%28&name=%F0%28%8C%BC",
    ] {
        out.push(case("odd query parameters", format!("{path}{query}")));
    }
    if template.contains('{') {
        for id in [
            "..",
            "%2e%2e",
            "..%2F..%2Fetc%2Fpasswd",
            "..%5c..%5cwindows",
            "%00",
            "a%00b",
            "%0d%0aX-Injected:%201",
            "%1b%5b31m",
            "%7f",
            "%ff%fe",
            "%c3%28",
            "%25",
            "%",
            "a%2Fb",
            "%20",
            "x".repeat(10_000).leak(),
        ] {
            out.push(case("path traversal / control characters in ids", format!("{p}{}", concrete(template, id))));
        }
        // Raw bytes no client would send in a request line.
        for id in [b"\xff\xfe".as_slice(), b"a\x01b", b"a\x7fb", b"../../etc/passwd"] {
            let mut raw_path = format!("{p}{}", concrete(template, "IDSLOT")).into_bytes();
            let at = raw_path.windows(6).position(|w| w == b"IDSLOT").unwrap();
            raw_path.splice(at..at + 6, id.iter().copied());
            out.push(Case {
                http_layer: id.iter().any(|b| *b < 0x20 || *b >= 0x7f),
                ..case("invalid UTF-8 / control characters in path", raw_path)
            });
        }
    }
    out.push(Case {
        extra_headers: format!("X-Big: {}\r\n", "h".repeat(16 * 1024)),
        ..case("oversized headers", path.clone())
    });
    out.push(Case {
        extra_headers: (0..90).map(|i| format!("X-Many-{i}: {}\r\n", "v".repeat(100))).collect(),
        ..case("oversized headers", path.clone())
    });
    out.push(Case {
        extra_headers: format!("X-Huge: {}\r\n", "h".repeat(1024 * 1024)),
        http_layer: true,
        ..case("oversized headers", path.clone())
    });
    out.push(Case { extra_headers: "X-Bin: \u{0080}\u{00ff}\r\n".into(), ..case("oversized headers", path.clone()) });
    let _ = method;
    out
}

fn request_bytes(api: Api, method: &str, case: &Case) -> Vec<u8> {
    let mut req = Vec::new();
    req.extend_from_slice(method.as_bytes());
    req.push(b' ');
    req.extend_from_slice(&case.path);
    req.extend_from_slice(b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAccept: application/json\r\n");
    req.extend_from_slice(api.auth_headers().as_bytes());
    req.extend_from_slice(case.extra_headers.as_bytes());
    if let Some(ct) = case.content_type {
        req.extend_from_slice(b"Content-Type: ");
        req.extend_from_slice(ct.as_bytes());
        req.extend_from_slice(b"\r\n");
    }
    if case.chunked {
        req.extend_from_slice(b"Transfer-Encoding: chunked\r\n\r\n");
        for chunk in case.body.chunks(1024 * 1024) {
            req.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
            req.extend_from_slice(chunk);
            req.extend_from_slice(b"\r\n");
        }
        req.extend_from_slice(b"0\r\n\r\n");
        return req;
    }
    let length = case.declared_length.unwrap_or(case.body.len());
    req.extend_from_slice(format!("Content-Length: {length}\r\n\r\n").as_bytes());
    req.extend_from_slice(&case.body);
    req
}

#[tokio::test]
async fn bad_input_on_every_operation_never_gets_a_5xx_or_a_foreign_body() {
    let server = TestStandin::start().await;
    let mut failures = Vec::new();
    let mut total = 0;
    for api in Api::ALL {
        let contract = contract_tests::contract::Contract::load(api.contract()).unwrap();
        let addr = server.standin.addr(api.listener());
        let mut tried = 0;
        let mut kinds = std::collections::BTreeMap::<&str, usize>::new();
        for op in contract.operations() {
            let item = &contract.doc["paths"][&op.path][op.method.to_lowercase()];
            let props = body_properties(&contract.doc, item);
            for case in cases(api, &op.method, &op.path, &props) {
                tried += 1;
                *kinds.entry(case.kind).or_default() += 1;
                let answer = raw(addr, &request_bytes(api, &op.method, &case)).await;
                let shown = format!(
                    "{} {} {} [{}]",
                    api.contract(),
                    op.method,
                    String::from_utf8_lossy(&case.path[..case.path.len().min(120)]),
                    case.kind
                );
                let Some(answer) = answer else {
                    if !case.http_layer {
                        failures.push(format!("{shown}: connection closed without an answer"));
                    }
                    continue;
                };
                if answer.status >= 500 {
                    failures.push(format!("{shown}: {} {}", answer.status, String::from_utf8_lossy(&answer.body)));
                    continue;
                }
                if answer.status >= 400 && !case.http_layer {
                    let body = serde_json::from_slice::<Value>(&answer.body).ok();
                    // The Marketplace's JSON-P answers wrap the body; a callback case is judged by status only.
                    let jsonp = answer.body.starts_with(b"/**/") || answer.body.contains(&b'(');
                    if !body.as_ref().is_some_and(|b| api.is_error_body(b)) && !jsonp {
                        failures.push(format!(
                            "{shown}: {} not the API's error body: {}",
                            answer.status,
                            String::from_utf8_lossy(&answer.body[..answer.body.len().min(300)])
                        ));
                    }
                }
            }
        }
        println!("bad input: {} {} operations, {tried} cases: {kinds:?}", api.contract(), contract.operations().len());
        total += tried;
    }
    println!("bad input: {total} cases in all, {} failures", failures.len());
    let health = raw(
        server.standin.addr(ApiKind::Barbican),
        b"GET /_standin/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(health.map(|a| a.status), Some(200), "standin still answers after every bad input");
    assert!(failures.is_empty(), "{} of {total} bad-input cases failed:\n{}", failures.len(), failures.join("\n"));
}
