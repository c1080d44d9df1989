//! Which methods each path of an API serves, for `Allow` headers on 405 answers.
//!
//! poem's router answers an unsupported method with a bare 405 and no `Allow` header (RFC 9110
//! requires one). The table is built once from the API's own emitted spec, so it cannot drift
//! from the routes.

use serde_json::Value;

/// Path templates and their methods, from an OpenAPI document.
#[derive(Debug, Clone, Default)]
pub struct AllowedMethods {
    routes: Vec<(Vec<String>, Vec<String>)>,
}

impl AllowedMethods {
    pub fn from_spec(spec: &Value) -> Self {
        let mut routes = Vec::new();
        if let Some(paths) = spec.get("paths").and_then(Value::as_object) {
            for (template, item) in paths {
                let mut methods: Vec<String> = ["get", "put", "post", "delete", "options", "head", "patch"]
                    .iter()
                    .filter(|m| item.get(**m).is_some())
                    .map(|m| m.to_uppercase())
                    .collect();
                methods.sort();
                let segments = template.split('/').map(str::to_string).collect();
                routes.push((segments, methods));
            }
        }
        AllowedMethods { routes }
    }

    /// The `Allow` header value for a concrete path (`"DELETE, GET"`), if the path exists.
    /// A literal segment beats a parameter, as in the router.
    pub fn allow_header(&self, path: &str) -> Option<String> {
        let segments: Vec<&str> = path.split('/').collect();
        let matches = |template: &[String]| {
            template.len() == segments.len()
                && template.iter().zip(&segments).all(|(t, s)| (t.starts_with('{') && !s.is_empty()) || t == s)
        };
        let literal_count = |template: &[String]| template.iter().filter(|t| !t.starts_with('{')).count();
        self.routes
            .iter()
            .filter(|(t, _)| matches(t))
            .max_by_key(|(t, _)| literal_count(t))
            .map(|(_, methods)| methods.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn literal_segments_win_over_parameters() {
        let spec = json!({"paths": {
            "/v1/orders": {"get": {}, "post": {}},
            "/v1/orders/{id}": {"get": {}, "delete": {}},
            "/{version}/{tenant}/orders": {"get": {}}
        }});
        let table = AllowedMethods::from_spec(&spec);
        assert_eq!(table.allow_header("/v1/orders").as_deref(), Some("GET, POST"));
        assert_eq!(table.allow_header("/v1/orders/abc").as_deref(), Some("DELETE, GET"));
        assert_eq!(table.allow_header("/v1/p1/orders").as_deref(), Some("GET"));
        assert_eq!(table.allow_header("/nope"), None);
    }
}
