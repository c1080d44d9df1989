//! Which methods each path of an API serves, for `Allow` headers on 405 answers.
//!
//! poem's router answers an unsupported method with a bare 405 and no `Allow` header (RFC 9110
//! requires one). The table is built once from the API's own emitted spec, so it cannot drift
//! from the routes.

use serde_json::Value;

/// Path templates and their methods (with each operation's id), from an OpenAPI document.
#[derive(Debug, Clone, Default)]
pub struct AllowedMethods {
    routes: Vec<Route>,
}

/// More segments than any API's path has: a longer path matches no template.
const MAX_SEGMENTS: usize = 16;

#[derive(Debug, Clone)]
struct Route {
    segments: Vec<String>,
    /// How many of the segments are literal (a literal beats a parameter).
    literals: usize,
    /// Upper-case method names, sorted, with the operation id each one serves.
    methods: Vec<(String, Option<String>)>,
}

impl Route {
    fn is_parameter(&self, segment: &str) -> bool {
        segment.starts_with('{')
    }
}

impl AllowedMethods {
    pub fn from_spec(spec: &Value) -> Self {
        let mut routes = Vec::new();
        if let Some(paths) = spec.get("paths").and_then(Value::as_object) {
            for (template, item) in paths {
                let mut methods: Vec<(String, Option<String>)> =
                    ["get", "put", "post", "delete", "options", "head", "patch"]
                        .iter()
                        .filter_map(|m| item.get(*m).map(|op| (*m, op)))
                        .map(|(m, op)| {
                            (m.to_uppercase(), op.get("operationId").and_then(Value::as_str).map(str::to_string))
                        })
                        .collect();
                methods.sort();
                let segments: Vec<String> = template.split('/').map(str::to_string).collect();
                let literals = segments.iter().filter(|t| !t.starts_with('{')).count();
                routes.push(Route { segments, literals, methods });
            }
        }
        AllowedMethods { routes }
    }

    /// The route a concrete path falls under. A literal segment beats a parameter, as in the router.
    /// The path is split once (on the stack: no path here has more than [`MAX_SEGMENTS`]
    /// segments), then held against each template of as many segments: this runs on every request.
    fn route(&self, path: &str) -> Option<&Route> {
        let mut segments = [""; MAX_SEGMENTS];
        let mut count = 0;
        for segment in path.split('/') {
            if count == MAX_SEGMENTS {
                return None;
            }
            segments[count] = segment;
            count += 1;
        }
        let segments = &segments[..count];
        let matches = |route: &Route| {
            route.segments.len() == count
                && route
                    .segments
                    .iter()
                    .zip(segments)
                    .all(|(t, s)| if route.is_parameter(t) { !s.is_empty() } else { t == s })
        };
        self.routes.iter().filter(|r| matches(r)).max_by_key(|r| r.literals)
    }

    /// The `Allow` header value for a concrete path (`"DELETE, GET"`), if the path exists.
    pub fn allow_header(&self, path: &str) -> Option<String> {
        let route = self.route(path)?;
        Some(route.methods.iter().map(|(m, _)| m.as_str()).collect::<Vec<_>>().join(", "))
    }

    /// Whether the path exists (`None` if not) and serves the method, without building a header.
    pub fn serves(&self, method: &str, path: &str) -> Option<bool> {
        let route = self.route(path)?;
        Some(route.methods.iter().any(|(m, _)| m.eq_ignore_ascii_case(method)))
    }

    /// Whether the document has an operation with this id.
    pub fn has_operation(&self, operation_id: &str) -> bool {
        self.routes.iter().flat_map(|r| &r.methods).any(|(_, id)| id.as_deref() == Some(operation_id))
    }

    /// The id of the operation a request is for, if the document has one for its method and path.
    pub fn operation_id(&self, method: &str, path: &str) -> Option<&str> {
        let route = self.route(path)?;
        route.methods.iter().find(|(m, _)| m.eq_ignore_ascii_case(method)).and_then(|(_, id)| id.as_deref())
    }
}

/// The request's URI without one trailing slash on its path (none for `/` itself, or a path without
/// one): the three APIs route `/x/` as `/x`, as their real services do.
pub fn without_trailing_slash(uri: &poem::http::Uri) -> Option<poem::http::Uri> {
    let path = uri.path();
    if path.len() <= 1 || !path.ends_with('/') {
        return None;
    }
    let trimmed = &path[..path.len() - 1];
    let rebuilt = match uri.query() {
        Some(q) => format!("{trimmed}?{q}"),
        None => trimmed.to_string(),
    };
    rebuilt.parse().ok()
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

    #[test]
    fn requests_map_to_their_operation_ids() {
        let spec = json!({"paths": {
            "/v1/orders": {"get": {"operationId": "listOrders"}, "post": {"operationId": "createOrder"}},
            "/v1/orders/{id}": {"get": {"operationId": "getOrder"}}
        }});
        let table = AllowedMethods::from_spec(&spec);
        assert_eq!(table.operation_id("POST", "/v1/orders"), Some("createOrder"));
        assert_eq!(table.operation_id("get", "/v1/orders/abc"), Some("getOrder"));
        assert_eq!(table.operation_id("DELETE", "/v1/orders/abc"), None);
        assert_eq!(table.operation_id("GET", "/v1/orders/abc/x"), None);
        assert!(table.has_operation("getOrder") && !table.has_operation("deleteOrder"));
        assert_eq!(table.serves("post", "/v1/orders"), Some(true));
        assert_eq!(table.serves("PUT", "/v1/orders"), Some(false));
        assert_eq!(table.serves("GET", "/nope"), None);
    }
}
