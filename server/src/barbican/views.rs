//! How orders, secrets and containers look on the wire.
//!
//! Field order is part of the contract: the documents show every current-edition object with its
//! keys sorted (`created`, `creator_id`, `meta`, `order_ref`, …), and the 2014 edition in its own
//! order, so each view declares its fields in the order they are sent.

use std::borrow::Cow;
use std::collections::BTreeMap;

use poem_openapi::registry::{MetaSchema, MetaSchemaRef, Registry};
use poem_openapi::types::{ParseError, ParseFromJSON, ParseResult, ToJSON, Type};
use poem_openapi::{Enum, Object};
use serde_json::{Map, Value};

use super::model::{Order, OrderStatus, OrderType, TimestampStyle, sorted};
use super::store::{Container, Secret};
use crate::openapi_types::{Href, Nullable, text_type};

/// The contract's timestamp pattern: naive UTC ISO 8601, microseconds unless zero (errata B12).
const TIMESTAMP_PATTERN: &str = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?$";

text_type!(
    /// A timestamp as Barbican writes it (`2015-10-20T18:38:44`, `2026-11-22T13:49:01.652680`).
    pub Timestamp,
    "string(timestamp)",
    MetaSchema { pattern: Some(TIMESTAMP_PATTERN.into()), ..MetaSchema::new("string") }
);

/// The state of a secret or container. standin only has ACTIVE ones (they exist once generated).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "ResourceStatus", rename_all = "UPPERCASE")]
pub enum ResourceStatus {
    Pending,
    Active,
    Error,
}

/// The kind of a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "SecretType", rename_all = "lowercase")]
pub enum SecretType {
    Symmetric,
    Public,
    Private,
    Passphrase,
    Certificate,
    Opaque,
}

impl SecretType {
    /// The stored type; anything unknown is `opaque`, Barbican's default secret type (standin only
    /// stores `symmetric`, `private`, `public` and `passphrase`).
    pub fn from_stored(stored: &str) -> Self {
        match stored {
            "symmetric" => SecretType::Symmetric,
            "public" => SecretType::Public,
            "private" => SecretType::Private,
            "passphrase" => SecretType::Passphrase,
            "certificate" => SecretType::Certificate,
            _ => SecretType::Opaque,
        }
    }
}

/// The type of a container.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "ContainerType", rename_all = "lowercase")]
pub enum ContainerType {
    Generic,
    Rsa,
    Dsa,
    Certificate,
}

impl ContainerType {
    /// The stored type; anything unknown is `generic`, Barbican's default container type (standin
    /// only stores `rsa` and `dsa`, the algorithm of an asymmetric order).
    pub fn from_stored(stored: &str) -> Self {
        match stored {
            "rsa" => ContainerType::Rsa,
            "dsa" => ContainerType::Dsa,
            "certificate" => ContainerType::Certificate,
            _ => ContainerType::Generic,
        }
    }
}

/// The state of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "OrderStatus")]
pub enum OrderStatusView {
    #[oai(rename = "PENDING")]
    Pending,
    #[oai(rename = "ACTIVE")]
    Active,
    #[oai(rename = "ERROR")]
    Error,
}

impl From<OrderStatus> for OrderStatusView {
    fn from(s: OrderStatus) -> Self {
        match s {
            OrderStatus::Pending => OrderStatusView::Pending,
            OrderStatus::Active => OrderStatusView::Active,
            OrderStatus::Error => OrderStatusView::Error,
        }
    }
}

/// What an order generates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "OrderType", rename_all = "lowercase")]
pub enum OrderTypeView {
    Key,
    Asymmetric,
}

impl From<OrderType> for OrderTypeView {
    fn from(t: OrderType) -> Self {
        match t {
            OrderType::Key => OrderTypeView::Key,
            OrderType::Asymmetric => OrderTypeView::Asymmetric,
        }
    }
}

/// An order's meta: the validated meta as stored, keys sorted. Its schema is `OrderMeta`: the
/// documented fields plus whatever else the client sent (Barbican keeps unknown keys).
#[derive(Debug, Clone, PartialEq)]
pub struct MetaView(pub Map<String, Value>);

impl Type for MetaView {
    const IS_REQUIRED: bool = true;
    type RawValueType = Map<String, Value>;
    type RawElementValueType = Map<String, Value>;

    fn name() -> Cow<'static, str> {
        "OrderMeta".into()
    }

    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Reference("OrderMeta".into())
    }

    fn register(registry: &mut Registry) {
        registry.create_schema::<Self, _>("OrderMeta".into(), |_| {
            let string =
                |nullable: bool| MetaSchemaRef::Inline(Box::new(MetaSchema { nullable, ..MetaSchema::new("string") }));
            MetaSchema {
                description: Some("The secret metadata the order was created with, as validated and stored."),
                required: vec!["name", "expiration"],
                properties: vec![
                    ("name", string(true)),
                    ("algorithm", string(false)),
                    ("bit_length", MetaSchemaRef::Inline(Box::new(MetaSchema::new("integer")))),
                    ("mode", string(false)),
                    ("payload_content_type", string(true)),
                    (
                        "expiration",
                        MetaSchemaRef::Inline(Box::new(MetaSchema {
                            nullable: true,
                            pattern: Some(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}$".into()),
                            ..MetaSchema::new("string")
                        })),
                    ),
                ],
                additional_properties: Some(Box::new(MetaSchemaRef::Inline(Box::new(MetaSchema::ANY)))),
                ..MetaSchema::new("object")
            }
        });
    }

    fn as_raw_value(&self) -> Option<&Self::RawValueType> {
        Some(&self.0)
    }

    fn raw_element_iter<'a>(&'a self) -> Box<dyn Iterator<Item = &'a Self::RawElementValueType> + 'a> {
        Box::new(std::iter::once(&self.0))
    }
}

impl ParseFromJSON for MetaView {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value {
            Some(Value::Object(map)) => Ok(MetaView(map)),
            _ => Err(ParseError::expected_type(Value::Null)),
        }
    }
}

impl ToJSON for MetaView {
    fn to_json(&self) -> Option<Value> {
        Some(Value::Object(sorted(&self.0)))
    }
}

/// An order, current edition (GET item, and each element of a list).
#[derive(Debug, Clone, PartialEq, Object)]
#[oai(rename = "Order")]
pub struct OrderView {
    #[oai(skip_serializing_if_is_none)]
    pub container_ref: Option<Href>,
    pub created: Timestamp,
    #[oai(skip_serializing_if_is_none)]
    pub creator_id: Option<String>,
    #[oai(skip_serializing_if_is_none, validator(max_length = 255))]
    pub error_reason: Option<String>,
    #[oai(skip_serializing_if_is_none, validator(pattern = "^[0-9]{3}$"))]
    pub error_status_code: Option<String>,
    pub meta: MetaView,
    pub order_ref: Href,
    #[oai(skip_serializing_if_is_none)]
    pub secret_ref: Option<Href>,
    pub status: OrderStatusView,
    #[oai(skip_serializing_if_is_none)]
    pub sub_status: Option<String>,
    #[oai(skip_serializing_if_is_none)]
    pub sub_status_message: Option<String>,
    #[oai(rename = "type")]
    pub order_type: OrderTypeView,
    pub updated: Timestamp,
}

/// Builds hrefs from the public base URL (Barbican's `host_href`), never from the request.
#[derive(Debug, Clone)]
pub struct Hrefs {
    pub base: String,
}

impl Hrefs {
    pub fn order(&self, id: &uuid::Uuid) -> Href {
        Href(format!("{}/v1/orders/{id}", self.base))
    }
    pub fn secret(&self, id: &uuid::Uuid) -> Href {
        Href(format!("{}/v1/secrets/{id}", self.base))
    }
    pub fn container(&self, id: &uuid::Uuid) -> Href {
        Href(format!("{}/v1/containers/{id}", self.base))
    }
}

impl OrderView {
    pub fn new(order: &Order, hrefs: &Hrefs, style: TimestampStyle) -> Self {
        OrderView {
            container_ref: order.container_id.as_ref().map(|id| hrefs.container(id)),
            created: Timestamp(style.format(&order.created)),
            creator_id: order.creator_id.clone(),
            error_reason: order.error_reason.clone(),
            error_status_code: order.error_status_code.clone(),
            meta: MetaView(order.meta.clone()),
            order_ref: hrefs.order(&order.id),
            secret_ref: order.secret_id.as_ref().map(|id| hrefs.secret(id)),
            status: order.status.into(),
            sub_status: order.sub_status.clone(),
            sub_status_message: order.sub_status_message.clone(),
            order_type: order.order_type.into(),
            updated: Timestamp(style.format(&order.updated)),
        }
    }
}

/// A page of orders. Keys sorted, as the documents show them.
#[derive(Debug, Clone, PartialEq, Object)]
#[oai(rename = "OrderList")]
pub struct OrderListView {
    #[oai(skip_serializing_if_is_none)]
    pub next: Option<Href>,
    pub orders: Vec<OrderView>,
    #[oai(skip_serializing_if_is_none)]
    pub previous: Option<Href>,
    #[oai(validator(minimum(value = "0")))]
    pub total: i64,
}

/// The answer to a create: where the new order is.
#[derive(Debug, Clone, PartialEq, Object)]
#[oai(rename = "OrderRef")]
pub struct OrderRefView {
    pub order_ref: Href,
}

/// The `secret` object of a 2014-edition order: the secret's metadata.
#[derive(Debug, Clone, PartialEq, Object)]
#[oai(rename = "OrderV2014Secret")]
pub struct OrderV2014SecretView {
    pub name: Nullable<String>,
    pub algorithm: String,
    pub payload_content_type: Nullable<String>,
    pub expiration: Nullable<String>,
    pub bit_length: i32,
    pub mode: Nullable<String>,
}

/// An order in the 2014 edition: the metadata under `secret`, `meta` null, keys in the document's order.
#[derive(Debug, Clone, PartialEq, Object)]
#[oai(rename = "OrderV2014")]
pub struct OrderV2014View {
    pub status: OrderStatusView,
    pub updated: Timestamp,
    pub created: Timestamp,
    pub order_ref: Href,
    #[oai(skip_serializing_if_is_none)]
    pub secret_ref: Option<Href>,
    pub secret: OrderV2014SecretView,
    /// Always null in the 2014 representation.
    pub meta: Nullable<BTreeMap<String, Value>>,
    #[oai(rename = "type")]
    pub order_type: OrderTypeView,
}

impl OrderV2014View {
    pub fn new(order: &Order, hrefs: &Hrefs) -> Self {
        let style = TimestampStyle::Microseconds;
        let text = |k: &str| order.meta.get(k).and_then(Value::as_str).map(str::to_string);
        OrderV2014View {
            status: order.status.into(),
            updated: Timestamp(style.format(&order.updated)),
            created: Timestamp(style.format(&order.created)),
            order_ref: hrefs.order(&order.id),
            secret_ref: order.secret_id.as_ref().map(|id| hrefs.secret(id)),
            secret: OrderV2014SecretView {
                name: text("name").into(),
                algorithm: text("algorithm").unwrap_or_default(),
                payload_content_type: text("payload_content_type").into(),
                expiration: text("expiration").into(),
                bit_length: order.meta.get("bit_length").and_then(Value::as_f64).unwrap_or(0.0) as i32,
                mode: text("mode").into(),
            },
            meta: Nullable(None),
            order_type: order.order_type.into(),
        }
    }
}

/// A page of 2014-edition orders, keys in the document's order.
#[derive(Debug, Clone, PartialEq, Object)]
#[oai(rename = "OrderV2014List")]
pub struct OrderV2014ListView {
    #[oai(validator(minimum(value = "0")))]
    pub total: i64,
    pub orders: Vec<OrderV2014View>,
    #[oai(skip_serializing_if_is_none)]
    pub previous: Option<Href>,
    #[oai(skip_serializing_if_is_none)]
    pub next: Option<Href>,
}

/// The content types of a secret.
#[derive(Debug, Clone, PartialEq, Object)]
#[oai(rename = "SecretContentTypes")]
pub struct SecretContentTypesView {
    pub default: String,
}

/// A registered consumer of a secret (microversion 1.1). standin registers none.
#[derive(Debug, Clone, PartialEq, Object)]
#[oai(rename = "SecretConsumer")]
pub struct SecretConsumer {
    pub service: String,
    pub resource_type: String,
    pub resource_id: String,
}

/// A secret's metadata (`GET /v1/secrets/{id}`).
#[derive(Debug, Clone, PartialEq, Object)]
#[oai(rename = "Secret")]
pub struct SecretView {
    pub created: Timestamp,
    pub updated: Timestamp,
    pub status: ResourceStatus,
    pub name: Nullable<String>,
    pub secret_type: SecretType,
    pub expiration: Nullable<Timestamp>,
    pub algorithm: Nullable<String>,
    pub bit_length: Nullable<i32>,
    pub mode: Nullable<String>,
    pub creator_id: Nullable<String>,
    /// Sent (empty) only when microversion 1.1 was negotiated, as Barbican does.
    #[oai(skip_serializing_if_is_none)]
    pub consumers: Option<Vec<SecretConsumer>>,
    /// Barbican omits `content_types` for a secret without a payload (hence optional); every secret
    /// standin has was generated by an order and has one.
    #[oai(skip_serializing_if_is_none)]
    pub content_types: Option<SecretContentTypesView>,
    pub secret_ref: Href,
}

impl SecretView {
    /// `with_consumers`: Barbican lists a secret's consumers only when microversion 1.1 was negotiated.
    pub fn new(secret: &Secret, hrefs: &Hrefs, with_consumers: bool) -> Self {
        let style = TimestampStyle::Microseconds;
        SecretView {
            created: Timestamp(style.format(&secret.created)),
            updated: Timestamp(style.format(&secret.updated)),
            status: ResourceStatus::Active,
            name: secret.name.clone().into(),
            secret_type: SecretType::from_stored(&secret.secret_type),
            expiration: secret.expiration.as_ref().map(|e| Timestamp(style.format(e))).into(),
            algorithm: secret.algorithm.clone().into(),
            bit_length: secret.bit_length.map(|b| b as i32).into(),
            mode: secret.mode.clone().into(),
            creator_id: secret.creator_id.clone().into(),
            consumers: with_consumers.then(Vec::new),
            content_types: Some(SecretContentTypesView { default: secret.content_type.clone() }),
            secret_ref: hrefs.secret(&secret.id),
        }
    }
}

/// One secret of a container.
#[derive(Debug, Clone, PartialEq, Object)]
#[oai(rename = "ContainerSecretRef")]
pub struct ContainerSecretRefView {
    pub name: Nullable<String>,
    pub secret_ref: Href,
}

/// A registered consumer of a container. standin registers none.
#[derive(Debug, Clone, PartialEq, Object)]
#[oai(rename = "ContainerConsumer")]
pub struct ContainerConsumer {
    pub name: String,
    #[oai(rename = "URL")]
    pub url: String,
}

/// A container (`GET /v1/containers/{id}`): an asymmetric order's key pair.
#[derive(Debug, Clone, PartialEq, Object)]
#[oai(rename = "Container")]
pub struct ContainerView {
    pub created: Timestamp,
    pub updated: Timestamp,
    pub status: ResourceStatus,
    pub name: Nullable<String>,
    #[oai(rename = "type")]
    pub container_type: ContainerType,
    pub creator_id: Nullable<String>,
    pub secret_refs: Vec<ContainerSecretRefView>,
    pub consumers: Vec<ContainerConsumer>,
    pub container_ref: Href,
}

impl ContainerView {
    pub fn new(container: &Container, hrefs: &Hrefs) -> Self {
        let style = TimestampStyle::Microseconds;
        ContainerView {
            created: Timestamp(style.format(&container.created)),
            updated: Timestamp(style.format(&container.updated)),
            status: ResourceStatus::Active,
            name: container.name.clone().into(),
            container_type: ContainerType::from_stored(&container.container_type),
            creator_id: container.creator_id.clone().into(),
            secret_refs: container
                .secret_refs
                .iter()
                .map(|(name, id)| ContainerSecretRefView {
                    name: Nullable(Some(name.clone())),
                    secret_ref: hrefs.secret(id),
                })
                .collect(),
            consumers: Vec::new(),
            container_ref: hrefs.container(&container.id),
        }
    }
}
