//! The hand-written contracts in `openapi/`, read as data.
//!
//! Tests use this to count operations, find every transcribed example (each carries
//! `x-standin-source` naming the document blocks it comes from) and compare it with the documents.

use serde_json::Value;

use crate::reference::repo_root;

/// The HTTP methods an OpenAPI path item may hold.
pub const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// A parsed contract, `openapi/<name>.yaml`.
#[derive(Debug, Clone)]
pub struct Contract {
    pub name: String,
    pub doc: Value,
}

/// One operation of a contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    pub method: String,
    pub path: String,
    pub operation_id: String,
    /// `x-standin-beyond-reference: true`: the operation exists in the real service but not in
    /// the reference documents (e.g. Barbican's version discovery).
    pub beyond_reference: bool,
    /// The documented status codes of its responses.
    pub statuses: Vec<String>,
}

/// An object anywhere in a contract that carries `x-standin-source`.
#[derive(Debug, Clone)]
pub struct SourcedObject {
    /// JSON pointer of the object within the contract.
    pub pointer: String,
    pub sources: Vec<String>,
    /// `x-standin-errata`: the ERRATA.md entry explaining why the object differs from its source.
    pub errata: Option<String>,
    /// The example's `value`, when the object is an OpenAPI Example Object.
    pub value: Option<Value>,
}

impl Contract {
    /// Load `openapi/<name>.yaml` from the repository.
    pub fn load(name: &str) -> anyhow::Result<Contract> {
        let path = repo_root().join("openapi").join(format!("{name}.yaml"));
        let text =
            std::fs::read_to_string(&path).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
        Self::parse(name, &text)
    }

    pub fn parse(name: &str, yaml: &str) -> anyhow::Result<Contract> {
        let doc: Value = serde_norway::from_str(yaml)?;
        Ok(Contract { name: name.to_string(), doc })
    }

    /// Every operation, in path then method order of the document.
    pub fn operations(&self) -> Vec<Operation> {
        let mut ops = Vec::new();
        let Some(paths) = self.doc.get("paths").and_then(Value::as_object) else { return ops };
        for (path, item) in paths {
            for method in METHODS {
                let Some(op) = item.get(method) else { continue };
                ops.push(Operation {
                    method: method.to_uppercase(),
                    path: path.clone(),
                    operation_id: op.get("operationId").and_then(Value::as_str).unwrap_or_default().to_string(),
                    beyond_reference: op.get("x-standin-beyond-reference").and_then(Value::as_bool).unwrap_or(false),
                    statuses: op
                        .get("responses")
                        .and_then(Value::as_object)
                        .map(|r| r.keys().cloned().collect())
                        .unwrap_or_default(),
                });
            }
        }
        ops
    }

    /// Every object carrying `x-standin-source`, in document order.
    pub fn sourced_objects(&self) -> Vec<SourcedObject> {
        let mut found = Vec::new();
        walk(&self.doc, String::new(), &mut found);
        found
    }
}

fn walk(value: &Value, pointer: String, found: &mut Vec<SourcedObject>) {
    match value {
        Value::Object(map) => {
            if let Some(sources) = map.get("x-standin-source") {
                let sources = match sources {
                    Value::String(s) => vec![s.clone()],
                    Value::Array(items) => items.iter().filter_map(Value::as_str).map(str::to_string).collect(),
                    _ => Vec::new(),
                };
                found.push(SourcedObject {
                    pointer: pointer.clone(),
                    sources,
                    errata: map.get("x-standin-errata").and_then(Value::as_str).map(str::to_string),
                    value: map.get("value").cloned(),
                });
            }
            for (key, child) in map {
                let escaped = key.replace('~', "~0").replace('/', "~1");
                walk(child, format!("{pointer}/{escaped}"), found);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                walk(child, format!("{pointer}/{i}"), found);
            }
        }
        _ => {}
    }
}

/// Whether a concrete request path (`/deployments/34483-d937/log`) matches a path template
/// (`/deployments/{deploymentId}/log`). Query strings are ignored.
pub fn path_matches_template(concrete: &str, template: &str) -> bool {
    let concrete = concrete.split('?').next().unwrap_or(concrete);
    let a: Vec<&str> = concrete.trim_end_matches('/').split('/').collect();
    let b: Vec<&str> = template.trim_end_matches('/').split('/').collect();
    a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|(seg, tpl)| (tpl.starts_with('{') && tpl.ends_with('}') && !seg.is_empty()) || seg == tpl)
}

/// Like [`path_matches_template`] for two templates: `{uuid}` and `{order_id}` are the same slot.
pub fn templates_equivalent(a: &str, b: &str) -> bool {
    let norm = |t: &str| -> Vec<String> {
        t.trim_end_matches('/')
            .split('/')
            .map(|s| if s.starts_with('{') && s.ends_with('}') { "{}".to_string() } else { s.to_string() })
            .collect()
    };
    norm(a) == norm(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concrete_paths_match_templates_segment_by_segment() {
        assert!(path_matches_template("/deployments/abc/log?x=1", "/deployments/{id}/log"));
        assert!(!path_matches_template("/deployments/abc/log", "/deployments/{id}"));
        assert!(!path_matches_template("/deployments//log", "/deployments/{id}/log"));
        assert!(templates_equivalent("/v1/orders/{uuid}", "/v1/orders/{order_id}"));
        assert!(!templates_equivalent("/v1/orders/{uuid}", "/v1/orders"));
    }
}
