//! Paging as Spring Data Commons 1.13 does it for the orchestrator's four collections: `page`, `size` and
//! `sort` read leniently, the `page` metadata, and the `first`, `prev`, `self`, `next`, `last` links.

use super::error::OrchestratorError;

/// The default and the cap of `size`.
pub const DEFAULT_SIZE: u32 = 10;
pub const MAX_SIZE: u32 = 2000;

/// A requested page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// Zero-based.
    pub number: u32,
    pub size: u32,
}

impl PageRequest {
    /// `page`: non-numeric or negative is 0. `size`: non-numeric or below 1 is 10; above 2000 is 2000.
    pub fn from_params(page: Option<&str>, size: Option<&str>) -> Self {
        let number = page.and_then(|p| p.trim().parse::<i64>().ok()).filter(|p| *p >= 0).unwrap_or(0);
        let size = match size.and_then(|s| s.trim().parse::<i64>().ok()) {
            Some(s) if s >= 1 => s.min(i64::from(MAX_SIZE)) as u32,
            _ => DEFAULT_SIZE,
        };
        PageRequest { number: number.min(i64::from(u32::MAX / MAX_SIZE)) as u32, size }
    }

    pub fn offset(&self) -> i64 {
        i64::from(self.number) * i64::from(self.size)
    }
}

/// One sort criterion: the entity property, its column, and the direction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortOrder {
    pub property: String,
    pub column: &'static str,
    pub ascending: bool,
}

/// The sortable properties of an entity: property name → column.
pub type SortColumns = &'static [(&'static str, &'static str)];

pub const DEPLOYMENT_SORT: SortColumns = &[
    ("createdAt", "created_at"),
    ("updatedAt", "updated_at"),
    ("status", "status"),
    ("statusReason", "status_reason"),
    ("task", "task"),
    ("id", "id"),
    ("callback", "callback"),
    ("userGroup", "user_group"),
    ("endpoint", "physical_id"),
];
pub const RESOURCE_SORT: SortColumns = &[
    ("createdAt", "created_at"),
    ("updatedAt", "updated_at"),
    ("id", "id"),
    ("state", "state"),
    ("toscaNodeType", "tosca_node_type"),
    ("toscaNodeName", "tosca_node_name"),
    ("iaasId", "physical_id"),
];
pub const SCHEDULE_SORT: SortColumns = &[
    ("createdAt", "created_at"),
    ("updatedAt", "updated_at"),
    ("id", "id"),
    ("status", "status"),
    ("fileExpression", "file_expression"),
    ("replicationExpression", "replication_expression"),
    ("numberOfReplicas", "number_of_replicas"),
    ("callback", "callback"),
];
pub const EVENT_SORT: SortColumns =
    &[("createdAt", "created_at"), ("updatedAt", "updated_at"), ("id", "id"), ("scope", "scope"), ("name", "name")];

/// `sort=prop[,prop...][,asc|desc]`, repeatable; without it (or with one empty value) `createdAt,desc`. An unknown
/// property is an `Internal` error (a 500, as Spring Data's `PropertyReferenceException` is in the real service);
/// the service turns it into a 400 unless `--orchestrator-real-500s`.
pub fn parse_sort(values: &[String], columns: SortColumns, entity: &str) -> Result<Vec<SortOrder>, OrchestratorError> {
    let values: Vec<&String> = values.iter().filter(|v| !v.trim().is_empty()).collect();
    if values.is_empty() {
        return Ok(vec![SortOrder { property: "createdAt".into(), column: "created_at", ascending: false }]);
    }
    let mut orders = Vec::new();
    for value in values {
        let mut parts: Vec<&str> = value.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
        let ascending = match parts.last().map(|p| p.to_ascii_lowercase()) {
            Some(d) if d == "desc" => {
                parts.pop();
                false
            }
            Some(d) if d == "asc" => {
                parts.pop();
                true
            }
            _ => true,
        };
        for property in parts {
            let Some((_, column)) = columns.iter().find(|(p, _)| *p == property) else {
                return Err(OrchestratorError::Internal(Some(format!(
                    "No property {property} found for type {entity}!"
                ))));
            };
            orders.push(SortOrder { property: property.to_string(), column, ascending });
        }
    }
    Ok(orders)
}

/// The `sort` query parameters as Spring HATEOAS renders them: consecutive orders with the same direction fold
/// into one parameter (`sort=a,b,desc`).
fn sort_params(sort: &[SortOrder]) -> Vec<String> {
    let mut params: Vec<(Vec<&str>, bool)> = Vec::new();
    for order in sort {
        match params.last_mut() {
            Some((props, asc)) if *asc == order.ascending => props.push(&order.property),
            _ => params.push((vec![&order.property], order.ascending)),
        }
    }
    params
        .into_iter()
        .map(|(props, asc)| format!("sort={},{}", props.join(","), if asc { "asc" } else { "desc" }))
        .collect()
}

/// The paging metadata of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageMeta {
    pub size: u32,
    pub total_elements: i64,
    pub total_pages: i64,
    pub number: u32,
}

impl PageMeta {
    pub fn new(page: &PageRequest, total: i64) -> Self {
        let size = i64::from(page.size);
        PageMeta { size: page.size, total_elements: total, total_pages: (total + size - 1) / size, number: page.number }
    }
}

/// A link of a page: `(rel, href)`.
pub type PageLink = (&'static str, String);

/// The href of `base` (a URL whose query holds only the parameters to keep, in order) for a given page.
fn page_href(base: &str, number: u32, size: u32, sort: &[SortOrder]) -> String {
    let mut params = vec![format!("page={number}"), format!("size={size}")];
    params.extend(sort_params(sort));
    let separator = if base.contains('?') { '&' } else { '?' };
    format!("{base}{separator}{}", params.join("&"))
}

/// The links of a page in the real order: `first` and `last` only when there is another page, `prev` after the
/// first page, `next` before the last. `self_href` is the collection's own link when it has a fixed one (lists
/// of deployments and schedules); otherwise `self` is `base` with the paging parameters, like the others.
pub fn page_links(
    base: &str,
    self_href: Option<&str>,
    page: &PageRequest,
    meta: &PageMeta,
    sort: &[SortOrder],
) -> Vec<PageLink> {
    let has_previous = page.number > 0;
    let has_next = i64::from(page.number) + 1 < meta.total_pages;
    let mut links = Vec::new();
    if has_previous || has_next {
        links.push(("first", page_href(base, 0, page.size, sort)));
    }
    if has_previous {
        links.push(("prev", page_href(base, page.number - 1, page.size, sort)));
    }
    links
        .push(("self", self_href.map(str::to_string).unwrap_or_else(|| page_href(base, page.number, page.size, sort))));
    if has_next {
        links.push(("next", page_href(base, page.number + 1, page.size, sort)));
    }
    if has_previous || has_next {
        let last = u32::try_from((meta.total_pages - 1).max(0)).unwrap_or(0);
        links.push(("last", page_href(base, last, page.size, sort)));
    }
    links
}

/// The raw (undecoded) query pairs of a URL query, minus `page`, `size` and `sort`, in their order.
pub fn query_without_paging(query: Option<&str>) -> Vec<(String, String)> {
    query
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_string(), v.to_string())
        })
        .filter(|(k, _)| !matches!(k.as_str(), "page" | "size" | "sort"))
        .collect()
}

/// `path` with the given raw query pairs.
pub fn with_query(path: &str, pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        return path.to_string();
    }
    let q: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{path}?{}", q.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_page_and_size() {
        assert_eq!(PageRequest::from_params(Some("-1"), Some("abc")), PageRequest { number: 0, size: 10 });
        assert_eq!(PageRequest::from_params(Some("2"), Some("5000")), PageRequest { number: 2, size: 2000 });
        assert_eq!(PageRequest::from_params(None, Some("0")), PageRequest { number: 0, size: 10 });
    }

    #[test]
    fn links_of_a_middle_page() {
        let page = PageRequest { number: 1, size: 2 };
        let meta = PageMeta::new(&page, 5);
        assert_eq!(meta.total_pages, 3);
        let sort = parse_sort(&[], DEPLOYMENT_SORT, "Deployment").unwrap();
        let links = page_links("http://h/deployments", Some("http://h/deployments"), &page, &meta, &sort);
        let rels: Vec<&str> = links.iter().map(|(r, _)| *r).collect();
        assert_eq!(rels, ["first", "prev", "self", "next", "last"]);
        assert_eq!(links[0].1, "http://h/deployments?page=0&size=2&sort=createdAt,desc");
        assert_eq!(links[2].1, "http://h/deployments");
        assert_eq!(links[4].1, "http://h/deployments?page=2&size=2&sort=createdAt,desc");
    }

    #[test]
    fn sort_parsing_and_rendering() {
        let sort = parse_sort(&["status,task".into(), "createdAt,DESC".into()], DEPLOYMENT_SORT, "Deployment").unwrap();
        assert_eq!(sort_params(&sort), ["sort=status,task,asc", "sort=createdAt,desc"]);
        let err = parse_sort(&["nope".into()], DEPLOYMENT_SORT, "Deployment").unwrap_err();
        assert_eq!(err.status().as_u16(), 500);
    }
}
