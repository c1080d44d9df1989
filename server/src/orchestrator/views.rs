//! The orchestrator's wire representations, in the real property order: null fields left out (Jackson's
//! `NON_NULL`), empty maps and lists kept, dates at minute precision, `links` always last.

use std::borrow::Cow;

use poem_openapi::Object;
use poem_openapi::registry::{MetaSchema, MetaSchemaRef, Registry};
use poem_openapi::types::{ParseError, ParseFromJSON, ParseFromParameter, ParseResult, ToJSON, Type};
use serde_json::{Map, Value, json};

use super::model::{Deployment, Resource, Schedule, ScheduleEvent, wire_time};
use super::paging::{PageLink, PageMeta};
use crate::openapi_types::text_type;

/// A string with a closed set of values, declared as a named component schema (`$ref`), serialised as the
/// bare string.
macro_rules! named_string_enum {
    ($(#[$doc:meta])* $name:ident, $schema:literal, [$($value:literal),+ $(,)?]) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(pub String);

        impl $name {
            pub const VALUES: &'static [&'static str] = &[$($value),+];
        }

        impl Type for $name {
            const IS_REQUIRED: bool = true;
            type RawValueType = Self;
            type RawElementValueType = Self;

            fn name() -> Cow<'static, str> {
                $schema.into()
            }

            fn schema_ref() -> MetaSchemaRef {
                MetaSchemaRef::Reference($schema.into())
            }

            fn register(registry: &mut Registry) {
                registry.create_schema::<Self, _>($schema.into(), |_| MetaSchema {
                    enum_items: vec![$(Value::from($value)),+],
                    ..MetaSchema::new("string")
                });
            }

            fn as_raw_value(&self) -> Option<&Self> {
                Some(self)
            }

            fn raw_element_iter<'a>(&'a self) -> Box<dyn Iterator<Item = &'a Self> + 'a> {
                Box::new(std::iter::once(self))
            }
        }

        impl ToJSON for $name {
            fn to_json(&self) -> Option<Value> {
                Some(Value::String(self.0.clone()))
            }
        }

        impl ParseFromJSON for $name {
            fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
                match value {
                    Some(Value::String(s)) if Self::VALUES.contains(&s.as_str()) => Ok($name(s)),
                    other => Err(ParseError::expected_type(other.unwrap_or_default())),
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.to_string())
            }
        }
    };
}

named_string_enum!(
    /// `DeploymentStatus`.
    DeploymentStatusView, "DeploymentStatus", [
        "CREATE_IN_PROGRESS", "CREATE_COMPLETE", "CREATE_FAILED", "UPDATE_IN_PROGRESS", "UPDATE_COMPLETE",
        "UPDATE_FAILED", "DELETE_IN_PROGRESS", "DELETE_COMPLETE", "DELETE_FAILED", "UNKNOWN"
    ]
);
named_string_enum!(
    /// `DeploymentTask`.
    TaskView, "DeploymentTask", ["NONE", "MONITORING", "QOS", "BROKERING", "DMS", "DEPLOYER", "UNKNOWN"]
);
named_string_enum!(
    /// `NodeState`.
    NodeStateView, "NodeState", [
        "INITIAL", "CREATING", "CREATED", "CONFIGURING", "CONFIGURED", "STARTING", "STARTED", "STOPPING", "STOPPED",
        "DELETING", "ERROR"
    ]
);
named_string_enum!(
    /// `LinkRelation`.
    LinkRelationView, "LinkRelation", ["self", "template", "resources", "deployment", "first", "prev", "next", "last"]
);
named_string_enum!(
    /// `IaasType`.
    IaasTypeView, "IaasType", [
        "OPENSTACK", "OPENNEBULA", "OCCI", "AWS", "OTC", "AZURE", "CHRONOS", "MARATHON", "QCG", "KUBERNETES"
    ]
);
named_string_enum!(
    /// `ScheduleStatus`.
    ScheduleStatusView, "ScheduleStatus", ["RUNNING", "SUSPENDED"]
);
named_string_enum!(
    /// `ReplicationStatus`.
    ReplicationStatusView, "ReplicationStatus", ["OK", "REPLICATING", "STUCK"]
);
named_string_enum!(
    /// `DeploymentResetStatus`: the only status a deployment may be reset to.
    DeploymentResetStatusView, "DeploymentResetStatus", ["DELETE_FAILED"]
);
named_string_enum!(
    /// `ResourceActionType`.
    ResourceActionTypeView, "ResourceActionType", ["start", "stop"]
);

text_type!(
    /// A date-time as the orchestrator writes it, `yyyy-MM-dd'T'HH:mmZ`.
    pub WireTime,
    "string(orchestrator-time)",
    MetaSchema {
        pattern: Some("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}[+-][0-9]{4}$".into()),
        ..MetaSchema::new("string")
    }
);

/// A JSON object with values of any type, in the given key order (`additionalProperties: true`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AnyMap(pub Map<String, Value>);

/// A JSON object of strings (`additionalProperties: {type: string}`), in the given key order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StringMap(pub Map<String, Value>);

macro_rules! map_type {
    ($name:ident, $type_name:literal, $additional:expr) => {
        impl Type for $name {
            const IS_REQUIRED: bool = true;
            type RawValueType = Self;
            type RawElementValueType = Self;

            fn name() -> Cow<'static, str> {
                $type_name.into()
            }

            fn schema_ref() -> MetaSchemaRef {
                MetaSchemaRef::Inline(Box::new(MetaSchema {
                    additional_properties: $additional,
                    ..MetaSchema::new("object")
                }))
            }

            fn as_raw_value(&self) -> Option<&Self> {
                Some(self)
            }

            fn raw_element_iter<'a>(&'a self) -> Box<dyn Iterator<Item = &'a Self> + 'a> {
                Box::new(std::iter::once(self))
            }
        }

        impl ToJSON for $name {
            fn to_json(&self) -> Option<Value> {
                Some(Value::Object(self.0.clone()))
            }
        }

        impl ParseFromJSON for $name {
            fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
                match value {
                    Some(Value::Object(m)) => Ok($name(m)),
                    other => Err(ParseError::expected_type(other.unwrap_or_default())),
                }
            }
        }

        impl ParseFromParameter for $name {
            fn parse_from_parameter(_value: &str) -> ParseResult<Self> {
                Err(ParseError::custom("not a parameter"))
            }
        }
    };
}

map_type!(AnyMap, "object(any)", Some(Box::new(MetaSchemaRef::Inline(Box::new(MetaSchema::ANY)))));
map_type!(StringMap, "object(string)", Some(Box::new(MetaSchemaRef::Inline(Box::new(MetaSchema::new("string"))))));

/// A hypermedia link (rel first, then href).
#[derive(Debug, Clone, Object)]
#[oai(rename = "Link")]
pub struct LinkView {
    pub rel: LinkRelationView,
    pub href: String,
}

fn link(rel: &str, href: String) -> LinkView {
    LinkView { rel: rel.into(), href }
}

fn page_links(links: Vec<PageLink>) -> Vec<LinkView> {
    links.into_iter().map(|(rel, href)| link(rel, href)).collect()
}

/// `PageMetadata`.
#[derive(Debug, Clone, Object)]
#[oai(rename = "PageMetadata")]
pub struct PageMetadataView {
    #[oai(validator(minimum(value = "1"), maximum(value = "2000")))]
    pub size: i32,
    #[oai(rename = "totalElements", validator(minimum(value = "0")))]
    pub total_elements: i64,
    #[oai(rename = "totalPages", validator(minimum(value = "0")))]
    pub total_pages: i32,
    #[oai(validator(minimum(value = "0")))]
    pub number: i32,
}

impl From<&PageMeta> for PageMetadataView {
    fn from(m: &PageMeta) -> Self {
        PageMetadataView {
            size: m.size as i32,
            total_elements: m.total_elements,
            total_pages: i32::try_from(m.total_pages).unwrap_or(i32::MAX),
            number: i32::try_from(m.number).unwrap_or(i32::MAX),
        }
    }
}

/// `OidcEntityId`: issuer first.
#[derive(Debug, Clone, Object)]
#[oai(rename = "OidcEntityId")]
pub struct OidcEntityIdView {
    pub issuer: String,
    pub subject: String,
}

/// `CloudProviderEndpoint` (empty fields left out).
#[derive(Debug, Clone, Object)]
#[oai(rename = "CloudProviderEndpoint", skip_serializing_if_is_none)]
pub struct CloudProviderEndpointView {
    #[oai(rename = "cpEndpoint")]
    pub cp_endpoint: Option<String>,
    #[oai(rename = "cpComputeServiceId")]
    pub cp_compute_service_id: Option<String>,
    #[oai(rename = "vaultUri")]
    pub vault_uri: Option<String>,
    #[oai(rename = "deploymentType")]
    pub deployment_type: Option<IaasTypeView>,
    #[oai(rename = "hybridCloudProviderEndpoints")]
    pub hybrid_cloud_provider_endpoints: Option<std::collections::BTreeMap<String, CloudProviderEndpointView>>,
}

impl CloudProviderEndpointView {
    fn from_json(v: &Value) -> Self {
        let text = |k: &str| v.get(k).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string);
        CloudProviderEndpointView {
            cp_endpoint: text("cpEndpoint"),
            cp_compute_service_id: text("cpComputeServiceId"),
            vault_uri: text("vaultUri"),
            deployment_type: text("deploymentType").map(IaasTypeView),
            hybrid_cloud_provider_endpoints: None,
        }
    }
}

/// `Deployment`.
#[derive(Debug, Clone, Object)]
#[oai(rename = "Deployment", skip_serializing_if_is_none)]
pub struct DeploymentView {
    pub uuid: String,
    #[oai(rename = "creationTime")]
    pub creation_time: WireTime,
    #[oai(rename = "updateTime")]
    pub update_time: Option<WireTime>,
    #[oai(rename = "physicalId")]
    pub physical_id: Option<String>,
    pub status: DeploymentStatusView,
    #[oai(rename = "statusReason")]
    pub status_reason: Option<String>,
    pub outputs: AnyMap,
    pub task: TaskView,
    pub callback: Option<String>,
    #[oai(rename = "userGroup")]
    pub user_group: Option<String>,
    #[oai(rename = "cloudProviderName")]
    pub cloud_provider_name: Option<String>,
    #[oai(rename = "cloudProviderEndpoint")]
    pub cloud_provider_endpoint: Option<CloudProviderEndpointView>,
    #[oai(rename = "createdBy")]
    pub created_by: Option<OidcEntityIdView>,
    pub links: Vec<LinkView>,
}

impl DeploymentView {
    /// The deployment with its links `self`, `resources`, `template` (or none, as embedded in an event or sent
    /// to a callback).
    pub fn new(d: &Deployment, base: Option<&str>) -> Self {
        let links = match base {
            Some(base) => {
                let own = format!("{base}/deployments/{}", d.id);
                vec![
                    link("self", own.clone()),
                    link("resources", format!("{own}/resources?type={{type}}")),
                    link("template", format!("{own}/template")),
                ]
            }
            None => Vec::new(),
        };
        DeploymentView {
            uuid: d.id.clone(),
            creation_time: WireTime(wire_time(&d.created_at)),
            update_time: Some(WireTime(wire_time(&d.updated_at))),
            physical_id: d.physical_id.clone(),
            status: d.status.as_str().into(),
            status_reason: d.status_reason.clone(),
            outputs: AnyMap(d.outputs.clone()),
            task: d.task.as_str().into(),
            callback: d.callback.clone(),
            user_group: d.user_group.clone(),
            cloud_provider_name: d.cloud_provider_name.clone(),
            cloud_provider_endpoint: d.cloud_provider_endpoint.as_ref().map(CloudProviderEndpointView::from_json),
            created_by: d
                .owner
                .as_ref()
                .map(|o| OidcEntityIdView { issuer: o.id.issuer.clone(), subject: o.id.subject.clone() }),
            links,
        }
    }

    /// The JSON a callback receives.
    pub fn callback_payload(d: &Deployment) -> Value {
        DeploymentView::new(d, None).to_json().unwrap_or(Value::Null)
    }
}

/// `DeploymentList`.
#[derive(Debug, Clone, Object)]
#[oai(rename = "DeploymentList")]
pub struct DeploymentListView {
    pub links: Vec<LinkView>,
    pub content: Vec<DeploymentView>,
    pub page: PageMetadataView,
}

impl DeploymentListView {
    pub fn new(items: &[Deployment], base: &str, links: Vec<PageLink>, meta: &PageMeta) -> Self {
        DeploymentListView {
            links: page_links(links),
            content: items.iter().map(|d| DeploymentView::new(d, Some(base))).collect(),
            page: meta.into(),
        }
    }
}

/// `Resource`.
#[derive(Debug, Clone, Object)]
#[oai(rename = "Resource", skip_serializing_if_is_none)]
pub struct ResourceView {
    pub uuid: String,
    #[oai(rename = "creationTime")]
    pub creation_time: WireTime,
    #[oai(rename = "updateTime")]
    pub update_time: Option<WireTime>,
    #[oai(rename = "physicalId")]
    pub physical_id: Option<String>,
    pub state: NodeStateView,
    #[oai(rename = "toscaNodeType")]
    pub tosca_node_type: String,
    #[oai(rename = "toscaNodeName")]
    pub tosca_node_name: String,
    #[oai(rename = "requiredBy")]
    pub required_by: Vec<String>,
    pub metadata: StringMap,
    pub links: Vec<LinkView>,
}

impl ResourceView {
    /// The resource with its links `deployment`, `self`. `requiredBy` is always `[]`, as the real assembler sends.
    pub fn new(r: &Resource, base: &str) -> Self {
        let deployment = format!("{base}/deployments/{}", r.deployment_id);
        ResourceView {
            uuid: r.id.clone(),
            creation_time: WireTime(wire_time(&r.created_at)),
            update_time: Some(WireTime(wire_time(&r.updated_at))),
            physical_id: r.physical_id.clone(),
            state: r.state.as_str().into(),
            tosca_node_type: r.tosca_node_type.clone(),
            tosca_node_name: r.tosca_node_name.clone(),
            required_by: Vec::new(),
            metadata: StringMap(r.metadata.clone()),
            links: vec![
                link("deployment", deployment.clone()),
                link("self", format!("{deployment}/resources/{}", r.id)),
            ],
        }
    }
}

/// `ResourceList`.
#[derive(Debug, Clone, Object)]
#[oai(rename = "ResourceList")]
pub struct ResourceListView {
    pub links: Vec<LinkView>,
    pub content: Vec<ResourceView>,
    pub page: PageMetadataView,
}

impl ResourceListView {
    pub fn new(items: &[Resource], base: &str, links: Vec<PageLink>, meta: &PageMeta) -> Self {
        ResourceListView {
            links: page_links(links),
            content: items.iter().map(|r| ResourceView::new(r, base)).collect(),
            page: meta.into(),
        }
    }
}

/// `Configuration`: the endpoints of the services the orchestrator uses (keys in snake case, this order).
#[derive(Debug, Clone, Object)]
#[oai(rename = "Configuration", skip_serializing_if_is_none)]
pub struct ConfigurationView {
    pub cpr_url: crate::openapi_types::Href,
    pub slam_url: crate::openapi_types::Href,
    pub cmdb_url: crate::openapi_types::Href,
    pub im_url: crate::openapi_types::Href,
    pub monitoring_url: crate::openapi_types::Href,
    pub vault_url: Option<crate::openapi_types::Href>,
    pub rucio_url: Option<crate::openapi_types::Href>,
}

/// `Schedule`.
#[derive(Debug, Clone, Object)]
#[oai(rename = "Schedule", skip_serializing_if_is_none)]
pub struct ScheduleView {
    pub uuid: String,
    #[oai(rename = "creationTime")]
    pub creation_time: WireTime,
    #[oai(rename = "updateTime")]
    pub update_time: Option<WireTime>,
    pub status: ScheduleStatusView,
    #[oai(rename = "replicationExpression")]
    pub replication_expression: String,
    #[oai(rename = "fileExpression")]
    pub file_expression: String,
    pub callback: Option<String>,
    #[oai(rename = "numberOfReplicas")]
    pub number_of_replicas: i32,
    #[oai(rename = "createdBy")]
    pub created_by: Option<OidcEntityIdView>,
    pub links: Vec<LinkView>,
}

impl ScheduleView {
    pub fn new(s: &Schedule, base: &str) -> Self {
        ScheduleView {
            uuid: s.id.clone(),
            creation_time: WireTime(wire_time(&s.created_at)),
            update_time: s.updated_at.as_ref().map(|t| WireTime(wire_time(t))),
            status: s.status.as_str().into(),
            replication_expression: s.replication_expression.clone(),
            file_expression: s.file_expression.clone(),
            callback: s.callback.clone(),
            number_of_replicas: i32::try_from(s.number_of_replicas).unwrap_or(i32::MAX),
            created_by: s
                .owner
                .as_ref()
                .map(|o| OidcEntityIdView { issuer: o.id.issuer.clone(), subject: o.id.subject.clone() }),
            links: vec![link("self", format!("{base}/schedules/{}", s.id))],
        }
    }
}

/// `ScheduleList`.
#[derive(Debug, Clone, Object)]
#[oai(rename = "ScheduleList")]
pub struct ScheduleListView {
    pub links: Vec<LinkView>,
    pub content: Vec<ScheduleView>,
    pub page: PageMetadataView,
}

impl ScheduleListView {
    pub fn new(items: &[Schedule], base: &str, links: Vec<PageLink>, meta: &PageMeta) -> Self {
        ScheduleListView {
            links: page_links(links),
            content: items.iter().map(|s| ScheduleView::new(s, base)).collect(),
            page: meta.into(),
        }
    }
}

/// `ScheduleEvent`: the deployment embedded without links; the event's own links always empty.
#[derive(Debug, Clone, Object)]
#[oai(rename = "ScheduleEvent", skip_serializing_if_is_none)]
pub struct ScheduleEventView {
    pub uuid: String,
    #[oai(rename = "creationTime")]
    pub creation_time: WireTime,
    #[oai(rename = "updateTime")]
    pub update_time: Option<WireTime>,
    pub deployment: DeploymentView,
    pub scope: String,
    pub name: String,
    #[oai(rename = "replicationStatus")]
    pub replication_status: Option<ReplicationStatusView>,
    pub links: Vec<LinkView>,
}

impl ScheduleEventView {
    pub fn new(e: &ScheduleEvent) -> Self {
        ScheduleEventView {
            uuid: e.id.clone(),
            creation_time: WireTime(wire_time(&e.created_at)),
            update_time: e.updated_at.as_ref().map(|t| WireTime(wire_time(t))),
            deployment: DeploymentView::new(&e.deployment, None),
            scope: e.scope.clone(),
            name: e.name.clone(),
            replication_status: e.replication_status.as_deref().map(Into::into),
            links: Vec::new(),
        }
    }
}

/// `ScheduleEventList`.
#[derive(Debug, Clone, Object)]
#[oai(rename = "ScheduleEventList")]
pub struct ScheduleEventListView {
    pub links: Vec<LinkView>,
    pub content: Vec<ScheduleEventView>,
    pub page: PageMetadataView,
}

impl ScheduleEventListView {
    pub fn new(items: &[ScheduleEvent], links: Vec<PageLink>, meta: &PageMeta) -> Self {
        ScheduleEventListView {
            links: page_links(links),
            content: items.iter().map(ScheduleEventView::new).collect(),
            page: meta.into(),
        }
    }
}

/// The `VirtualMachineInfo` metadata standin gives a compute resource once it is up (JSON text, as IM's).
pub fn virtual_machine_info(node_name: &str, deployment_id: &str, index: usize) -> String {
    json!({"vmProperties": [
        {"class": "network", "id": "pub_network", "outbound": "yes", "provider_id": "public"},
        {"class": "network", "id": "priv_network", "provider_id": "standin-private"},
        {"class": "system", "id": node_name, "instance_name": format!("{node_name}-{deployment_id}"),
         "cpu.count": 1, "memory.size": 2147483648_u64, "provider.type": "OpenStack",
         "provider.host": "cloud.standin.local", "state": "configured",
         "net_interface.0.ip": format!("10.0.0.{}", index + 1)}
    ]})
    .to_string()
}
