//! The nine endpoints, and what the request pipeline needs to know about each before the router
//! runs: its resource family (hence its scope) and its operation id (the key of its rate limit).
//!
//! In the real service the OAuth2 and rate-limit middleware look the route up in an endpoint
//! registry; here the registry is this table, matched against the request path.

/// The three resource families; each has one read scope, `<scope base>/<family>/read`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resource {
    PublicClouds,
    PrivateClouds,
    Consultants,
}

impl Resource {
    pub const ALL: [Resource; 3] = [Resource::PublicClouds, Resource::PrivateClouds, Resource::Consultants];

    /// The path segment after `/api/v1/marketplace/`, which is also the scope's middle part.
    pub fn segment(self) -> &'static str {
        match self {
            Resource::PublicClouds => "public-clouds",
            Resource::PrivateClouds => "private-clouds",
            Resource::Consultants => "consultants",
        }
    }

    /// The scope an endpoint of this family requires, e.g.
    /// `https://openstackid-resources.org/public-clouds/read`.
    pub fn scope(self, scope_base: &str) -> String {
        format!("{}/{}/read", scope_base.trim_end_matches('/'), self.segment())
    }
}

/// What an endpoint returns: a page, one entity, or an entity's sub-resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    List,
    Item,
    /// `/data-centers` for clouds, `/offices` for consultants.
    Children,
}

/// One of the nine endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Endpoint {
    pub resource: Resource,
    pub shape: Shape,
}

/// The common prefix of every marketplace path.
pub const PREFIX: &str = "/api/v1/marketplace/";

impl Endpoint {
    /// Every endpoint, in the contract's order.
    pub fn all() -> Vec<Endpoint> {
        Resource::ALL
            .iter()
            .flat_map(|&resource| [Shape::List, Shape::Item, Shape::Children].map(|shape| Endpoint { resource, shape }))
            .collect()
    }

    /// The endpoint a request path names, if any (the `{id}` segment is any non-empty segment).
    pub fn for_path(path: &str) -> Option<Endpoint> {
        let rest = path.strip_prefix(PREFIX)?;
        let mut segments = rest.split('/');
        let family = segments.next()?;
        let resource = Resource::ALL.into_iter().find(|r| r.segment() == family)?;
        let shape = match (segments.next(), segments.next(), segments.next()) {
            (None, _, _) => Shape::List,
            (Some(id), None, _) if !id.is_empty() => Shape::Item,
            (Some(id), Some(child), None) if !id.is_empty() && child == Self::child_segment(resource) => {
                Shape::Children
            }
            _ => return None,
        };
        Some(Endpoint { resource, shape })
    }

    fn child_segment(resource: Resource) -> &'static str {
        match resource {
            Resource::Consultants => "offices",
            Resource::PublicClouds | Resource::PrivateClouds => "data-centers",
        }
    }

    /// The contract's operation id, e.g. `listPublicClouds` (the key of `--marketplace-rate-limit`).
    pub fn operation_id(self) -> &'static str {
        use Resource::*;
        use Shape::*;
        match (self.resource, self.shape) {
            (PublicClouds, List) => "listPublicClouds",
            (PublicClouds, Item) => "getPublicCloud",
            (PublicClouds, Children) => "getPublicCloudDataCenters",
            (PrivateClouds, List) => "listPrivateClouds",
            (PrivateClouds, Item) => "getPrivateCloud",
            (PrivateClouds, Children) => "getPrivateCloudDataCenters",
            (Consultants, List) => "listConsultants",
            (Consultants, Item) => "getConsultant",
            (Consultants, Children) => "getConsultantOffices",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_their_endpoint() {
        let e = |p| Endpoint::for_path(p).map(Endpoint::operation_id);
        assert_eq!(e("/api/v1/marketplace/public-clouds"), Some("listPublicClouds"));
        assert_eq!(e("/api/v1/marketplace/private-clouds/abc"), Some("getPrivateCloud"));
        assert_eq!(e("/api/v1/marketplace/consultants/7/offices"), Some("getConsultantOffices"));
        assert_eq!(e("/api/v1/marketplace/public-clouds/7/data-centers"), Some("getPublicCloudDataCenters"));
        assert_eq!(e("/api/v1/marketplace/consultants/7/data-centers"), None);
        assert_eq!(e("/api/v1/marketplace/public-clouds//data-centers"), None);
        assert_eq!(e("/api/v1/marketplace/nope"), None);
        assert_eq!(Endpoint::all().len(), 9);
    }
}
