//! The first place two JSON values differ, as a JSON path, so that a failed check can say where the
//! received body departs from the expected one instead of printing both whole.

use serde_json::Value;

use super::{Failure, Problem};

/// One difference: where, and the two values there (`<absent>` for a missing key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub path: String,
    pub expected: String,
    pub received: String,
}

const ABSENT: &str = "<absent>";

/// The first difference between `expected` and `received` (objects compare key by key in the expected
/// value's order, then for unexpected keys; arrays element by element, then by length).
pub fn first_difference(expected: &Value, received: &Value) -> Option<Difference> {
    diff_at("$".to_string(), expected, received)
}

fn diff_at(path: String, expected: &Value, received: &Value) -> Option<Difference> {
    match (expected, received) {
        (Value::Object(e), Value::Object(r)) => {
            for (key, ev) in e {
                let child = format!("{path}.{key}");
                match r.get(key) {
                    Some(rv) => {
                        if let Some(d) = diff_at(child, ev, rv) {
                            return Some(d);
                        }
                    }
                    None => return Some(Difference { path: child, expected: ev.to_string(), received: ABSENT.into() }),
                }
            }
            r.iter().find(|(key, _)| !e.contains_key(*key)).map(|(key, rv)| Difference {
                path: format!("{path}.{key}"),
                expected: ABSENT.into(),
                received: rv.to_string(),
            })
        }
        (Value::Array(e), Value::Array(r)) => {
            for (i, (ev, rv)) in e.iter().zip(r).enumerate() {
                if let Some(d) = diff_at(format!("{path}[{i}]"), ev, rv) {
                    return Some(d);
                }
            }
            (e.len() != r.len()).then(|| Difference {
                path: format!("{path}.length"),
                expected: e.len().to_string(),
                received: r.len().to_string(),
            })
        }
        (e, r) if e == r => None,
        (e, r) => Some(Difference { path, expected: e.to_string(), received: r.to_string() }),
    }
}

/// Fail with the first difference between `expected` and `received`, if any.
pub fn expect_json(what: &str, expected: &Value, received: &Value) -> Result<(), Problem> {
    match first_difference(expected, received) {
        None => Ok(()),
        Some(d) => Err(Problem::Fail(Failure {
            what: what.to_string(),
            expected: d.expected,
            received: d.received,
            json_path: Some(d.path),
        })),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn equal_values_have_no_difference() {
        let v = json!({"a": [1, {"b": null}], "c": "x"});
        assert_eq!(first_difference(&v, &v.clone()), None);
    }

    #[test]
    fn reports_the_path_of_a_changed_missing_or_extra_member() {
        let expected = json!({"code": 404, "title": "Not Found", "description": "Order not found."});
        let changed = json!({"code": 404, "title": "Not Found", "description": ""});
        assert_eq!(
            first_difference(&expected, &changed),
            Some(Difference {
                path: "$.description".into(),
                expected: "\"Order not found.\"".into(),
                received: "\"\"".into()
            })
        );
        let missing = json!({"code": 404, "title": "Not Found"});
        assert_eq!(first_difference(&expected, &missing).unwrap().received, "<absent>");
        let extra = json!({"code": 404, "title": "Not Found", "description": "Order not found.", "x": 1});
        assert_eq!(first_difference(&expected, &extra).unwrap().path, "$.x");
    }

    #[test]
    fn reports_array_elements_and_lengths() {
        assert_eq!(first_difference(&json!({"a": [1, 2]}), &json!({"a": [1, 3]})).unwrap().path, "$.a[1]");
        let d = first_difference(&json!([1]), &json!([1, 2])).unwrap();
        assert_eq!((d.path.as_str(), d.expected.as_str(), d.received.as_str()), ("$.length", "1", "2"));
    }
}
