//! JSON exactly as the real service wrote it: PHP's `json_encode` with no options.
//!
//! The ETag is the md5 of the body, so the body has to be byte-exact, not just equivalent: no
//! whitespace, `/` escaped as `\/`, every non-ASCII character as a lowercase `\uXXXX` escape
//! (surrogate pairs beyond the BMP), and `<`, `>`, `&`, `'` left as they are. Keys keep their order
//! (serde_json's `preserve_order`), which is the column order of the real tables.

use serde_json::Value;

/// `value` as PHP 5's `json_encode($value)` writes it.
pub fn encode(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, key);
                out.push(':');
                write_value(out, item);
            }
            out.push('}');
        }
    }
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' => out.push_str("\\/"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || !c.is_ascii() => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn slashes_and_non_ascii_are_escaped_like_php() {
        let v = json!({"Call2ActionUri": "http://a/b", "Name": "Zürich 🚀 <&'>", "n": 10, "x": null});
        assert_eq!(
            encode(&v),
            r#"{"Call2ActionUri":"http:\/\/a\/b","Name":"Z\u00fcrich \ud83d\ude80 <&'>","n":10,"x":null}"#
        );
    }

    #[test]
    fn control_characters_use_short_escapes_where_php_does() {
        assert_eq!(encode(&json!("a\nb\t\u{1}\u{7f}")), "\"a\\nb\\t\\u0001\u{7f}\"");
    }
}
