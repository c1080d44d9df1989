//! `spec_differences` against real poem-openapi output: a tiny poem-openapi API, and hand-written
//! YAML contracts for it, one equivalent (no differences) and one deliberately different.

use contract_tests::spec_diff::{SpecDifference, spec_differences};
use poem_openapi::auth::ApiKey;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Enum, Object, OpenApi, OpenApiService, SecurityScheme};
use serde_json::Value;

#[derive(Enum, Clone, Copy)]
#[oai(rename_all = "lowercase")]
enum Priority {
    Low,
    Normal,
    High,
}

fn normal_priority() -> Priority {
    Priority::Normal
}

/// An item as stored.
#[derive(Object)]
struct Item {
    id: String,
    name: String,
    quantity: u32,
    priority: Priority,
    tags: Vec<String>,
    note: Option<String>,
}

/// A new item.
#[derive(Object)]
struct NewItem {
    #[oai(validator(min_length = 1, max_length = 64))]
    name: String,
    #[oai(default)]
    quantity: u32,
    #[oai(default = "normal_priority")]
    priority: Priority,
    #[oai(default)]
    tags: Vec<String>,
    note: Option<String>,
}

#[derive(Object)]
struct ItemList {
    items: Vec<Item>,
    total: u64,
}

#[derive(Object)]
struct ErrorBody {
    code: u16,
    message: String,
}

#[derive(SecurityScheme)]
#[oai(ty = "api_key", key_name = "X-Api-Key", key_in = "header")]
struct ApiKeyAuth(ApiKey);

#[derive(ApiResponse)]
enum CreateItemResponse {
    /// Accepted; the item will appear at `Location`.
    #[oai(status = 202)]
    Accepted(Json<Item>, #[oai(header = "Location")] String),
    #[oai(status = 400)]
    BadRequest(Json<ErrorBody>),
}

#[derive(ApiResponse)]
enum GetItemResponse {
    #[oai(status = 200)]
    Ok(Json<Item>),
    #[oai(status = 404)]
    NotFound(Json<ErrorBody>),
}

fn default_limit() -> u32 {
    20
}

struct ItemsApi;

#[OpenApi]
impl ItemsApi {
    /// List items.
    #[oai(path = "/items", method = "get")]
    async fn list_items(
        &self,
        #[oai(default = "default_limit", validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<u32>,
        cursor: Query<Option<String>>,
    ) -> Json<ItemList> {
        let _ = (limit, cursor);
        Json(ItemList { items: Vec::new(), total: 0 })
    }

    /// Create an item.
    #[oai(path = "/items", method = "post")]
    async fn create_item(&self, auth: ApiKeyAuth, body: Json<NewItem>) -> CreateItemResponse {
        let new = body.0;
        if auth.0.key.is_empty() || new.name.trim().is_empty() {
            return CreateItemResponse::BadRequest(Json(ErrorBody { code: 400, message: "invalid item".into() }));
        }
        CreateItemResponse::Accepted(
            Json(Item {
                id: "1".into(),
                name: new.name,
                quantity: new.quantity,
                priority: new.priority,
                tags: new.tags,
                note: new.note,
            }),
            "/items/1".into(),
        )
    }

    /// Get one item.
    #[oai(path = "/items/:id", method = "get")]
    async fn get_item(&self, id: Path<String>) -> GetItemResponse {
        if id.0 == "1" {
            let item = Item {
                id: id.0,
                name: "bolt".into(),
                quantity: 3,
                priority: Priority::Low,
                tags: Vec::new(),
                note: None,
            };
            return GetItemResponse::Ok(Json(item));
        }
        GetItemResponse::NotFound(Json(ErrorBody { code: 404, message: "no such item".into() }))
    }
}

fn emitted_spec() -> Value {
    let service = OpenApiService::new(ItemsApi, "Items", "1.0");
    serde_json::from_str(&service.spec()).expect("poem emits JSON")
}

/// The contract of `ItemsApi` as one would write it by hand: OpenAPI 3.0.3, plain media types, a
/// `Location` header, integer bounds, a referenced `Priority` with a default, and the security scheme
/// under another name.
const EQUIVALENT_CONTRACT: &str = r##"
openapi: 3.0.3
info: {title: Items, version: '1.0'}
servers: [{url: 'http://localhost:8080'}]
paths:
  /items:
    get:
      operationId: listItems
      summary: List items.
      parameters:
        - name: limit
          in: query
          description: Page size.
          schema: {type: integer, format: int32, minimum: 1, maximum: 100, default: 20}
        - name: cursor
          in: query
          schema: {type: string}
      responses:
        '200':
          description: A page of items.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/ItemList'}
    post:
      operationId: createItem
      security:
        - apiKey: []
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewItem'}
            example: {name: bolt, quantity: 3}
      responses:
        '202':
          description: Accepted; the item will appear at `Location`.
          headers:
            Location:
              schema: {type: string}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
        '400':
          description: The body is invalid.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
  /items/{id}:
    parameters:
      - name: id
        in: path
        required: true
        schema: {type: string}
    get:
      operationId: getItem
      responses:
        '200':
          description: The item.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
        '404':
          description: No such item.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
components:
  securitySchemes:
    apiKey: {type: apiKey, in: header, name: x-api-key}
  schemas:
    Error:
      type: object
      required: [code, message]
      properties:
        code: {type: integer, format: int32, minimum: 0}
        message: {type: string}
    Priority:
      type: string
      enum: [low, normal, high]
    Item:
      type: object
      required: [id, name, quantity, priority, tags]
      properties:
        id: {type: string}
        name: {type: string}
        quantity: {type: integer, format: int64, minimum: 0}
        priority: {$ref: '#/components/schemas/Priority'}
        tags: {type: array, items: {type: string}}
        note: {type: string}
    NewItem:
      type: object
      required: [name]
      properties:
        name: {type: string, minLength: 1, maxLength: 64}
        quantity: {type: integer, minimum: 0, default: 0}
        priority:
          allOf:
            - $ref: '#/components/schemas/Priority'
          default: normal
        tags:
          type: array
          items: {type: string}
          default: []
        note: {type: string}
    ItemList:
      type: object
      required: [items, total]
      properties:
        items:
          type: array
          items: {$ref: '#/components/schemas/Item'}
        total: {type: integer, format: int64, minimum: 0}
"##;

fn parse(yaml: &str) -> Value {
    serde_norway::from_str(yaml).expect("test YAML parses")
}

fn listing(differences: &[SpecDifference]) -> String {
    differences.iter().map(|d| format!("  {d}\n")).collect()
}

#[test]
fn poem_output_equals_its_hand_written_contract() {
    let differences = spec_differences(&parse(EQUIVALENT_CONTRACT), &emitted_spec());
    assert!(differences.is_empty(), "\n{}", listing(&differences));
}

/// `EQUIVALENT_CONTRACT` with eight deliberate differences, each marked.
const DIFFERENT_CONTRACT: &str = r##"
openapi: 3.0.3
info: {title: Items, version: '1.0'}
servers: [{url: 'http://localhost:8080'}]
paths:
  /items:
    get:
      operationId: listItems
      summary: List items.
      parameters:
        - name: limit
          in: query
          description: Page size.
          # Different: the server allows up to 100.
          schema: {type: integer, format: int32, minimum: 1, maximum: 50, default: 20}
        - name: cursor
          in: query
          schema: {type: string}
      responses:
        '200':
          description: A page of items.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/ItemList'}
    post:
      operationId: createItem
      # Different: the server takes an API key.
      security:
        - bearerAuth: []
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewItem'}
            example: {name: bolt, quantity: 3}
      responses:
        # Different: the server answers 202.
        '201':
          description: Accepted; the item will appear at `Location`.
          headers:
            Location:
              schema: {type: string}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
        '400':
          description: The body is invalid.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
  # Different: the server calls the parameter `id`.
  /items/{item_id}:
    parameters:
      - name: item_id
        in: path
        required: true
        schema: {type: string}
    get:
      operationId: getItem
      responses:
        '200':
          description: The item.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
        '404':
          description: No such item.
          content:
            # Different: the server answers plain JSON.
            application/problem+json:
              schema: {$ref: '#/components/schemas/Error'}
components:
  securitySchemes:
    bearerAuth: {type: http, scheme: bearer}
  schemas:
    Error:
      type: object
      required: [code, message]
      properties:
        # Different: the server's u16 cannot be negative.
        code: {type: integer, format: int32}
        message: {type: string}
    Priority:
      type: string
      # Different: the server has no `urgent`.
      enum: [low, normal, high, urgent]
    Item:
      type: object
      required: [id, name, quantity, priority, tags]
      properties:
        id: {type: string}
        name: {type: string}
        quantity: {type: integer, format: int64, minimum: 0}
        priority: {$ref: '#/components/schemas/Priority'}
        tags: {type: array, items: {type: string}}
        note: {type: string}
    NewItem:
      type: object
      required: [name]
      properties:
        name: {type: string, minLength: 1, maxLength: 64}
        quantity: {type: integer, minimum: 0, default: 0}
        priority:
          allOf:
            - $ref: '#/components/schemas/Priority'
          default: normal
        tags:
          type: array
          items: {type: string}
          default: []
        # Different: the server does not accept null.
        note: {type: string, nullable: true}
    ItemList:
      type: object
      required: [items, total]
      properties:
        items:
          type: array
          items: {$ref: '#/components/schemas/Item'}
        total: {type: integer, format: int64, minimum: 0}
"##;

#[test]
fn poem_output_differs_from_a_different_contract_exactly_where_it_should() {
    let differences = spec_differences(&parse(DIFFERENT_CONTRACT), &emitted_spec());
    let found: Vec<(&str, &str)> = differences.iter().map(|d| (d.location.as_str(), d.message.as_str())).collect();
    let expected = [
        ("GET /items parameters.query.limit schema.maximum", "the contract has `50`, the emitted spec has `100`"),
        (
            "GET /items responses.200 content.application/json schema.properties.items.items.properties.priority.enum",
            "values only in the contract: `\"urgent\"`",
        ),
        (
            "POST /items requestBody content.application/json schema.properties.note.nullable",
            "the contract has `true`, the emitted spec has `false`",
        ),
        ("POST /items responses", "status codes only in the contract: `201`; only in the emitted spec: `202`"),
        (
            "POST /items responses.400 content.application/json schema.properties.code.minimum",
            "the contract has none, the emitted spec has `0`",
        ),
        (
            "POST /items security",
            "the contract accepts `http bearer`, the emitted spec accepts `apiKey header x-api-key`",
        ),
        (
            "/items/{item_id}",
            "path parameter names: the contract has `/items/{item_id}`, the emitted spec has `/items/{id}`",
        ),
        (
            "GET /items/{item_id} responses.404 content",
            "media types only in the contract: `application/problem+json`; only in the emitted spec: `application/json`",
        ),
    ];
    assert_eq!(found, expected, "\n{}", listing(&differences));
}
