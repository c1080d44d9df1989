//! A normalising comparison between a hand-written contract and the spec poem-openapi emits.
//!
//! standin is spec-first: `openapi/<api>.yaml` is written by hand, and the server's own spec (what
//! poem-openapi derives from the Rust types) must be *equivalent* to it: same paths, methods,
//! parameters, status codes, content types and schema shapes. poem-openapi cannot load a spec, and the
//! two documents can never be equal literally, because poem writes its own dialect of OpenAPI. So a test
//! compares them with [`spec_differences`], which names every difference that matters to a client.
//!
//! What is compared:
//! - the set of operations (path template and method). Path parameter names count, since clients use
//!   them, but a path whose parameters are only renamed is reported once, as a rename, and its operations
//!   are then compared as if the names matched;
//! - per operation: parameters (keyed by `in` and name, header names case-insensitively: `required` and
//!   schema shape), the request body (`required`, media types, schema shapes), responses (status codes;
//!   per status: media types, schema shapes and header names, case-insensitively) and the security
//!   requirements, by the *kind* of each scheme (`http bearer`, `apiKey header x-api-key`, ...), since
//!   scheme names differ freely;
//! - schema shapes, with `$ref` followed (cycles are guarded) and `allOf` merged into one schema: type,
//!   format, enum values (as sets), nullable, properties (names and the required set), items,
//!   `additionalProperties` when it is a schema, `oneOf`/`anyOf` members (matched regardless of order),
//!   default, and the numeric, length, item-count and pattern constraints.
//!
//! What is normalised away (poem's dialect, see `shared/design/tooling-notes.md` §1):
//! - media type parameters: `application/json; charset=utf-8` is `application/json`;
//! - the case of header names (poem upper-cases response headers);
//! - `allOf: [{$ref}, {default: ...}]` wrappers: they are the referenced schema plus the default;
//! - numbers: `100.0` equals `100` everywhere (bounds, defaults, enum values);
//! - integer and number formats: a missing or non-standard format (`uint32`, `int16`, ...) matches any
//!   other; only two different standard formats (`int32` against `int64`, `float` against `double`) are a
//!   difference. An unsigned format implies `minimum: 0`, which is how poem's unsigned types behave;
//! - absent booleans mean `false` (`required`, `nullable`, `uniqueItems`, ...); a path parameter is
//!   always required; a security requirement inherited from the document counts as the operation's.
//!
//! What is ignored on purpose: descriptions, summaries, titles, examples, `x-*` extensions,
//! `deprecated`, `style` and `explode`, operationId, tags, links, servers, info, the `openapi` version,
//! `readOnly`/`writeOnly`, `discriminator`, `additionalProperties: true`/`false` (poem cannot write
//! `false`), OAuth scopes, response header schemas and components nobody references.
//!
//! A difference inside a shared schema is reported once, at the first place it is reached (operations in
//! path, then method order), not once per operation using it.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;

use serde_json::{Map, Value};

use crate::contract::METHODS;

/// One way the emitted spec differs from the contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecDifference {
    /// Where: the operation (`GET /v1/orders/{order_id}`), then the part of it, e.g.
    /// `responses.404 content` or `requestBody content.application/json schema.properties.name`.
    pub location: String,
    /// What the contract has and what the emitted spec has.
    pub message: String,
}

impl fmt::Display for SpecDifference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Every difference between a contract and an emitted spec, both whole OpenAPI documents, in a stable
/// order. Empty when they are equivalent.
pub fn spec_differences(contract: &Value, emitted: &Value) -> Vec<SpecDifference> {
    let mut differ = Differ {
        contract: Document { root: contract },
        emitted: Document { root: emitted },
        compared: HashSet::new(),
        reported: HashSet::new(),
        found: Vec::new(),
    };
    differ.compare_paths();
    differ.found
}

/// How many `$ref`s in a row are followed before giving up on a reference loop.
const MAX_REF_HOPS: usize = 32;

/// The schema keywords that shape what a client may send or receive.
const SHAPE_KEYWORDS: [&str; 18] = [
    "type",
    "format",
    "enum",
    "nullable",
    "default",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
];

/// Keywords whose absence means `false`.
const FALSE_WHEN_ABSENT: [&str; 4] = ["nullable", "uniqueItems", "exclusiveMinimum", "exclusiveMaximum"];

/// The formats OpenAPI 3.0 defines for `integer` and `number`; any other is a server-side detail.
const STANDARD_NUMERIC_FORMATS: [&str; 4] = ["int32", "int64", "float", "double"];

/// The formats of unsigned integers, as poem writes them.
const UNSIGNED_FORMATS: [&str; 4] = ["uint8", "uint16", "uint32", "uint64"];

/// One of the two documents being compared.
#[derive(Clone, Copy)]
struct Document<'a> {
    root: &'a Value,
}

/// A value inside a document, with the JSON pointer it was found at (or, after a `$ref`, the pointer
/// of the target). The pointer identifies a schema for cycle detection.
#[derive(Clone)]
struct Node<'a> {
    value: &'a Value,
    pointer: String,
}

impl<'a> Node<'a> {
    fn new(value: &'a Value, pointer: String) -> Self {
        Node { value, pointer }
    }

    fn child(&self, key: &str) -> Option<Node<'a>> {
        self.value.get(key).map(|value| Node::new(value, format!("{}/{}", self.pointer, escape_pointer(key))))
    }

    fn element(&self, index: usize) -> Option<Node<'a>> {
        self.value.get(index).map(|value| Node::new(value, format!("{}/{index}", self.pointer)))
    }

    /// The entries of an object-valued node, each with its pointer.
    fn entries(&self) -> Vec<(&'a String, Node<'a>)> {
        let pointer = &self.pointer;
        self.value
            .as_object()
            .into_iter()
            .flatten()
            .map(|(key, value)| (key, Node::new(value, format!("{pointer}/{}", escape_pointer(key)))))
            .collect()
    }

    /// The elements of an array-valued node, each with its pointer.
    fn elements(&self) -> Vec<Node<'a>> {
        let count = self.value.as_array().map_or(0, Vec::len);
        (0..count).filter_map(|index| self.element(index)).collect()
    }
}

impl<'a> Document<'a> {
    fn node(self, pointer: &str) -> Option<Node<'a>> {
        self.root.pointer(pointer).map(|value| Node::new(value, pointer.to_string()))
    }

    /// Follow `$ref` chains within the document. An unresolvable or external reference is returned as
    /// it is, and two such references compare equal only if they are the same.
    fn resolve(self, node: Node<'a>) -> Node<'a> {
        let mut current = node;
        for _ in 0..MAX_REF_HOPS {
            let Some(reference) = current.value.get("$ref").and_then(Value::as_str) else { break };
            let Some(target) = reference.strip_prefix('#').and_then(|pointer| self.node(pointer)) else { break };
            current = target;
        }
        current
    }

    /// The kind of a security scheme, which is what a client cares about: `http bearer`,
    /// `apiKey header x-api-key`, `oauth2`, ...
    fn security_scheme_kind(self, name: &str) -> String {
        let Some(scheme) = self.node(&format!("/components/securitySchemes/{}", escape_pointer(name))) else {
            return format!("undefined scheme `{name}`");
        };
        let scheme = self.resolve(scheme).value;
        let field = |key: &str| scheme.get(key).and_then(Value::as_str).unwrap_or_default();
        match field("type") {
            "http" => format!("http {}", field("scheme").to_ascii_lowercase()),
            "apiKey" if field("in") == "header" => format!("apiKey header {}", field("name").to_ascii_lowercase()),
            "apiKey" => format!("apiKey {} {}", field("in"), field("name")),
            other => other.to_string(),
        }
    }

    /// The alternatives of an operation's security requirement (any one suffices), each the set of
    /// scheme kinds it needs together. An operation without one inherits the document's.
    fn security_alternatives(self, operation: &Value) -> BTreeSet<BTreeSet<String>> {
        let requirement = operation.get("security").or_else(|| self.root.get("security"));
        let Some(alternatives) = requirement.and_then(Value::as_array) else { return BTreeSet::new() };
        alternatives
            .iter()
            .map(|alternative| {
                alternative.as_object().into_iter().flatten().map(|(name, _)| self.security_scheme_kind(name)).collect()
            })
            .collect()
    }
}

/// A path item's operations by method, in [`METHODS`] order.
fn operations_of<'a>(item: &Node<'a>) -> Vec<(&'static str, Node<'a>)> {
    METHODS.iter().filter_map(|method| item.child(method).map(|operation| (*method, operation))).collect()
}

/// The path template with its parameter names blanked: `/orders/{order_id}` gives `/orders/{}`.
fn path_skeleton(path: &str) -> String {
    let mut skeleton = String::new();
    let mut in_parameter = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_parameter = true;
                skeleton.push_str("{}");
            }
            '}' => in_parameter = false,
            _ if !in_parameter => skeleton.push(c),
            _ => {}
        }
    }
    skeleton
}

/// The parameter names of a path template, in order.
fn path_parameter_names(path: &str) -> Vec<&str> {
    path.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).collect()
}

/// The key a parameter is matched by: its location and its name (lower-cased for headers, which are
/// case-insensitive).
fn parameter_key(location: &str, name: &str) -> (String, String) {
    let name = if location == "header" { name.to_ascii_lowercase() } else { name.to_string() };
    (location.to_string(), name)
}

/// A media type without its parameters: `application/json; charset=utf-8` is `application/json`.
fn bare_media_type(media_type: &str) -> String {
    media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// Escape a key for use in a JSON pointer (RFC 6901).
fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// A value with every number compared as an `f64` (poem writes every bound as a float: `100.0` for
/// `100`, `9.223372036854776e18` for `9223372036854775807`), written as an integer when it is integral
/// and exactly representable, and object keys sorted, so that equal values compare and print equal.
fn canonical(value: &Value) -> Value {
    match value {
        Value::Number(number) => match number.as_f64() {
            Some(float) if float.fract() == 0.0 && float.abs() < 9.0e15 => Value::from(float as i64),
            Some(float) => serde_json::Number::from_f64(float).map_or_else(|| value.clone(), Value::Number),
            None => value.clone(),
        },
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        Value::Object(map) => {
            let sorted: BTreeMap<&String, Value> = map.iter().map(|(key, value)| (key, canonical(value))).collect();
            Value::Object(sorted.into_iter().map(|(key, value)| (key.clone(), value)).collect::<Map<_, _>>())
        }
        _ => value.clone(),
    }
}

/// A value as written in a message.
fn shown(value: &Value) -> String {
    format!("`{value}`")
}

/// A message for two sets that differ: what only the contract has and what only the emitted spec has.
fn set_difference_message(what: &str, contract: &BTreeSet<String>, emitted: &BTreeSet<String>) -> String {
    let list = |items: Vec<&String>| items.iter().map(|item| format!("`{item}`")).collect::<Vec<_>>().join(", ");
    let only_contract = list(contract.difference(emitted).collect());
    let only_emitted = list(emitted.difference(contract).collect());
    match (only_contract.is_empty(), only_emitted.is_empty()) {
        (false, true) => format!("{what} only in the contract: {only_contract}"),
        (true, false) => format!("{what} only in the emitted spec: {only_emitted}"),
        _ => format!("{what} only in the contract: {only_contract}; only in the emitted spec: {only_emitted}"),
    }
}

/// A message for something one side has and the other lacks.
fn presence_message(in_contract: bool, what: &str) -> String {
    if in_contract {
        format!("the contract has {what}, the emitted spec does not")
    } else {
        format!("the emitted spec has {what}, the contract does not")
    }
}

/// A message for a value that differs; `None` means the side does not have it.
fn value_message(contract: Option<&Value>, emitted: Option<&Value>) -> String {
    let side = |value: Option<&Value>| value.map_or_else(|| "none".to_string(), shown);
    format!("the contract has {}, the emitted spec has {}", side(contract), side(emitted))
}

/// An operation's parameter, after `$ref`s.
struct Parameter<'a> {
    required: bool,
    schema: Option<Node<'a>>,
}

/// The parameters of an operation, path-level ones included (the operation's own win), by
/// [`parameter_key`]. `renames` maps path parameter names of this document to the names they are
/// compared under.
fn parameters_of<'a>(
    document: Document<'a>,
    item: &Node<'a>,
    operation: &Node<'a>,
    renames: &HashMap<String, String>,
) -> BTreeMap<(String, String), Parameter<'a>> {
    let mut parameters = BTreeMap::new();
    let declared = [item.child("parameters"), operation.child("parameters")];
    for parameter in declared.iter().flatten().flat_map(Node::elements) {
        let parameter = document.resolve(parameter);
        let field = |key: &str| parameter.value.get(key).and_then(Value::as_str).unwrap_or_default();
        let location = field("in");
        let mut name = field("name").to_string();
        if location == "path"
            && let Some(renamed) = renames.get(&name)
        {
            name = renamed.clone();
        }
        let required = location == "path" || parameter.value.get("required").and_then(Value::as_bool).unwrap_or(false);
        let schema = parameter.child("schema").or_else(|| {
            let content = parameter.child("content")?;
            content.entries().into_iter().next().and_then(|(_, media)| media.child("schema"))
        });
        parameters.insert(parameter_key(location, &name), Parameter { required, schema });
    }
    parameters
}

/// The media types of a `content` map, parameters stripped, each with its schema if it has one.
fn media_types_of<'a>(content: Option<Node<'a>>) -> BTreeMap<String, Option<Node<'a>>> {
    content
        .map(|content| content.entries())
        .unwrap_or_default()
        .into_iter()
        .map(|(media_type, media)| (bare_media_type(media_type), media.child("schema")))
        .collect()
}

/// The header names of a response, lower-cased (`Content-Type` is not a header OpenAPI describes).
fn header_names_of(response: &Node<'_>) -> BTreeSet<String> {
    let names = response.value.get("headers").and_then(Value::as_object).into_iter().flatten();
    names.map(|(name, _)| name.to_ascii_lowercase()).filter(|name| name != "content-type").collect()
}

/// A schema with `$ref`s followed and `allOf` merged, keeping only what a client can observe.
#[derive(Default)]
struct Shape<'a> {
    /// The pointer of the schema that gives the shape its structure: the schema itself, or for an
    /// `allOf` wrapper around one structured member (poem's way of adding a default to a `$ref`), that
    /// member.
    core: String,
    keywords: BTreeMap<&'static str, Value>,
    /// The keywords an `allOf` wrapper sets around its core (a default, nullable, a bound), as opposed
    /// to those the core itself has.
    overlaid: BTreeSet<&'static str>,
    properties: BTreeMap<String, Node<'a>>,
    required: BTreeSet<String>,
    items: Option<Node<'a>>,
    additional_properties: Option<Node<'a>>,
    one_of: Vec<Node<'a>>,
    any_of: Vec<Node<'a>>,
}

impl<'a> Shape<'a> {
    /// Follow `$ref`s and merge `allOf` members. `merging` holds the schemas whose `allOf` is being
    /// merged, so that a schema that includes itself does not recurse forever.
    fn of(document: Document<'a>, node: Node<'a>, merging: &mut Vec<String>) -> Shape<'a> {
        let node = document.resolve(node);
        let mut shape = Shape { core: node.pointer.clone(), ..Shape::default() };
        let Some(schema) = node.value.as_object() else { return shape };
        for keyword in SHAPE_KEYWORDS {
            if let Some(value) = schema.get(keyword) {
                shape.keywords.insert(keyword, canonical(value));
            }
        }
        for (name, property) in node.child("properties").map(|p| p.entries()).unwrap_or_default() {
            shape.properties.insert(name.clone(), property);
        }
        let required = schema.get("required").and_then(Value::as_array).into_iter().flatten();
        shape.required = required.filter_map(Value::as_str).map(str::to_string).collect();
        shape.items = node.child("items");
        shape.additional_properties =
            node.child("additionalProperties").filter(|a| a.value.as_object().is_some_and(|a| !a.is_empty()));
        shape.one_of = node.child("oneOf").map(|members| members.elements()).unwrap_or_default();
        shape.any_of = node.child("anyOf").map(|members| members.elements()).unwrap_or_default();
        if let Some(members) = node.child("allOf") {
            shape.merge_all_of(document, &node.pointer, members.elements(), merging);
        }
        shape.infer_type();
        shape
    }

    /// Merge the members of an `allOf` into this shape: properties and required names are united,
    /// and the wrapper's own keywords win over its members'.
    fn merge_all_of(
        &mut self,
        document: Document<'a>,
        pointer: &str,
        members: Vec<Node<'a>>,
        merging: &mut Vec<String>,
    ) {
        let wrapper_is_structured = self.is_structured();
        let mut structured_cores = Vec::new();
        let mut overlaid: BTreeSet<&'static str> = self.keywords.keys().copied().collect();
        merging.push(pointer.to_string());
        for member in members {
            if merging.contains(&document.resolve(member.clone()).pointer) {
                continue;
            }
            let member = Shape::of(document, member, merging);
            if member.is_structured() {
                structured_cores.push(member.core.clone());
            } else {
                overlaid.extend(member.keywords.keys().copied());
            }
            self.absorb(member);
        }
        merging.pop();
        if let [core] = structured_cores.as_slice()
            && !wrapper_is_structured
        {
            self.core = core.clone();
            self.overlaid = overlaid;
        }
    }

    fn absorb(&mut self, member: Shape<'a>) {
        for (keyword, value) in member.keywords {
            self.keywords.entry(keyword).or_insert(value);
        }
        for (name, property) in member.properties {
            self.properties.entry(name).or_insert(property);
        }
        self.required.extend(member.required);
        self.items = self.items.take().or(member.items);
        self.additional_properties = self.additional_properties.take().or(member.additional_properties);
        if self.one_of.is_empty() {
            self.one_of = member.one_of;
        }
        if self.any_of.is_empty() {
            self.any_of = member.any_of;
        }
    }

    /// Does it say what kind of value it is (as opposed to only adding a default or a bound)?
    fn is_structured(&self) -> bool {
        self.keywords.contains_key("type")
            || !self.properties.is_empty()
            || self.items.is_some()
            || self.additional_properties.is_some()
            || !self.one_of.is_empty()
            || !self.any_of.is_empty()
    }

    /// `type` as it follows from the other keywords when not written; `minimum: 0` for unsigned formats.
    fn infer_type(&mut self) {
        if !self.keywords.contains_key("type") {
            if !self.properties.is_empty() || self.additional_properties.is_some() {
                self.keywords.insert("type", Value::from("object"));
            } else if self.items.is_some() {
                self.keywords.insert("type", Value::from("array"));
            }
        }
        let unsigned =
            self.keywords.get("format").and_then(Value::as_str).is_some_and(|f| UNSIGNED_FORMATS.contains(&f));
        if unsigned {
            self.keywords.entry("minimum").or_insert(Value::from(0));
        }
    }

    /// What identifies this shape for cycle detection and for reporting a shared schema once.
    fn identity(&self) -> String {
        let keywords: Map<String, Value> = self.keywords.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        format!("{} {}", self.core, Value::Object(keywords))
    }

    fn keyword(&self, keyword: &str) -> Option<&Value> {
        self.keywords.get(keyword)
    }
}

/// Are two formats of a schema of type `ty` different in a way a client sees?
fn formats_differ(ty: Option<&Value>, contract: Option<&Value>, emitted: Option<&Value>) -> bool {
    if contract == emitted {
        return false;
    }
    let numeric = matches!(ty.and_then(Value::as_str), Some("integer" | "number"));
    if !numeric {
        return true;
    }
    let standard = |format: Option<&Value>| {
        format.and_then(Value::as_str).is_some_and(|format| STANDARD_NUMERIC_FORMATS.contains(&format))
    };
    standard(contract) && standard(emitted)
}

/// The comparison in progress.
struct Differ<'a> {
    contract: Document<'a>,
    emitted: Document<'a>,
    /// Pairs of schema identities already compared (or being compared, further up).
    compared: HashSet<(String, String)>,
    /// Aspects (a keyword, `properties`, ...) of pairs of schema cores already reported.
    reported: HashSet<(String, String, &'static str)>,
    found: Vec<SpecDifference>,
}

impl<'a> Differ<'a> {
    fn report(&mut self, location: impl Into<String>, message: impl Into<String>) {
        self.found.push(SpecDifference { location: location.into(), message: message.into() });
    }

    /// Report a difference in one aspect of two schemas: a keyword, or `properties`, `required`, ...
    /// An aspect both take from their cores is reported once per pair of cores, so that a difference
    /// inside a shared component shows once, also where one side wraps it in poem's `allOf`.
    fn report_aspect(&mut self, schemas: (&Shape<'a>, &Shape<'a>), aspect: &'static str, here: &str, message: String) {
        let (contract, emitted) = schemas;
        let from_cores = !contract.overlaid.contains(aspect) && !emitted.overlaid.contains(aspect);
        if from_cores && !self.reported.insert((contract.core.clone(), emitted.core.clone(), aspect)) {
            return;
        }
        self.report(format!("{here}.{aspect}"), message);
    }

    /// Pair the path templates of the two documents (exactly, or as a rename of path parameters) and
    /// compare the operations of each pair.
    fn compare_paths(&mut self) {
        let paths = |document: Document<'a>| -> BTreeMap<&'a String, Node<'a>> {
            let paths = document.node("/paths").map(|paths| paths.entries()).unwrap_or_default();
            paths.into_iter().map(|(path, item)| (path, document.resolve(item))).collect()
        };
        let contract_paths = paths(self.contract);
        let mut emitted_paths = paths(self.emitted);
        for (path, contract_item) in &contract_paths {
            let emitted_path = if emitted_paths.contains_key(path) {
                Some(*path)
            } else {
                let renamed = emitted_paths.keys().find(|candidate| {
                    !contract_paths.contains_key(*candidate) && path_skeleton(candidate) == path_skeleton(path)
                });
                renamed.copied()
            };
            let Some(emitted_path) = emitted_path else {
                for (method, _) in operations_of(contract_item) {
                    self.report(operation_label(method, path), presence_message(true, "this operation"));
                }
                continue;
            };
            let emitted_item = emitted_paths.remove(emitted_path).expect("paired path is present");
            let mut renames = HashMap::new();
            if emitted_path != *path {
                self.report(
                    path.as_str(),
                    format!("path parameter names: the contract has `{path}`, the emitted spec has `{emitted_path}`"),
                );
                let pairs = path_parameter_names(emitted_path).into_iter().zip(path_parameter_names(path));
                renames = pairs.map(|(emitted, contract)| (emitted.to_string(), contract.to_string())).collect();
            }
            self.compare_path_item(path, contract_item, &emitted_item, &renames);
        }
        for (path, emitted_item) in emitted_paths {
            for (method, _) in operations_of(&emitted_item) {
                self.report(operation_label(method, path), presence_message(false, "this operation"));
            }
        }
    }

    fn compare_path_item(
        &mut self,
        path: &str,
        contract_item: &Node<'a>,
        emitted_item: &Node<'a>,
        renames: &HashMap<String, String>,
    ) {
        let contract_operations = operations_of(contract_item);
        let emitted_operations: BTreeMap<_, _> = operations_of(emitted_item).into_iter().collect();
        for (method, contract_operation) in &contract_operations {
            let label = operation_label(method, path);
            match emitted_operations.get(method) {
                Some(emitted_operation) => {
                    let operation = OperationPair {
                        label: &label,
                        contract_item,
                        contract: contract_operation,
                        emitted_item,
                        emitted: emitted_operation,
                        renames,
                    };
                    self.compare_operation(&operation);
                }
                None => self.report(label, presence_message(true, "this operation")),
            }
        }
        for method in emitted_operations.keys() {
            if !contract_operations.iter().any(|(contract_method, _)| contract_method == method) {
                self.report(operation_label(method, path), presence_message(false, "this operation"));
            }
        }
    }

    fn compare_operation(&mut self, operation: &OperationPair<'_, 'a>) {
        self.compare_parameters(operation);
        self.compare_request_bodies(operation);
        self.compare_responses(operation);
        self.compare_security(operation);
    }

    fn compare_parameters(&mut self, operation: &OperationPair<'_, 'a>) {
        let label = operation.label;
        let contract = parameters_of(self.contract, operation.contract_item, operation.contract, &HashMap::new());
        let mut emitted = parameters_of(self.emitted, operation.emitted_item, operation.emitted, operation.renames);
        for ((location, name), contract_parameter) in contract {
            let here = format!("{label} parameters.{location}.{name}");
            let Some(emitted_parameter) = emitted.remove(&(location, name)) else {
                self.report(here, presence_message(true, "this parameter"));
                continue;
            };
            if contract_parameter.required != emitted_parameter.required {
                let (c, e) = (Value::from(contract_parameter.required), Value::from(emitted_parameter.required));
                self.report(format!("{here} required"), value_message(Some(&c), Some(&e)));
            }
            self.compare_optional_schemas(
                &format!("{here} schema"),
                contract_parameter.schema,
                emitted_parameter.schema,
            );
        }
        for (location, name) in emitted.into_keys() {
            self.report(format!("{label} parameters.{location}.{name}"), presence_message(false, "this parameter"));
        }
    }

    fn compare_request_bodies(&mut self, operation: &OperationPair<'_, 'a>) {
        let here = format!("{} requestBody", operation.label);
        let contract = operation.contract.child("requestBody").map(|body| self.contract.resolve(body));
        let emitted = operation.emitted.child("requestBody").map(|body| self.emitted.resolve(body));
        let (contract, emitted) = match (contract, emitted) {
            (None, None) => return,
            (Some(contract), Some(emitted)) => (contract, emitted),
            (contract, _) => return self.report(here, presence_message(contract.is_some(), "a request body")),
        };
        let required =
            |body: &Node<'_>| Value::from(body.value.get("required").and_then(Value::as_bool).unwrap_or(false));
        let (contract_required, emitted_required) = (required(&contract), required(&emitted));
        if contract_required != emitted_required {
            self.report(format!("{here} required"), value_message(Some(&contract_required), Some(&emitted_required)));
        }
        self.compare_content(&here, contract.child("content"), emitted.child("content"));
    }

    fn compare_responses(&mut self, operation: &OperationPair<'_, 'a>) {
        let label = operation.label;
        let responses = |document: Document<'a>, operation: &Node<'a>| -> BTreeMap<String, Node<'a>> {
            let responses = operation.child("responses").map(|r| r.entries()).unwrap_or_default();
            responses
                .into_iter()
                .map(|(status, response)| (status.to_ascii_uppercase(), document.resolve(response)))
                .collect()
        };
        let contract = responses(self.contract, operation.contract);
        let emitted = responses(self.emitted, operation.emitted);
        let contract_statuses: BTreeSet<String> = contract.keys().cloned().collect();
        let emitted_statuses: BTreeSet<String> = emitted.keys().cloned().collect();
        if contract_statuses != emitted_statuses {
            let message = set_difference_message("status codes", &contract_statuses, &emitted_statuses);
            self.report(format!("{label} responses"), message);
        }
        for (status, contract_response) in &contract {
            let Some(emitted_response) = emitted.get(status) else { continue };
            let here = format!("{label} responses.{status}");
            let contract_headers = header_names_of(contract_response);
            let emitted_headers = header_names_of(emitted_response);
            if contract_headers != emitted_headers {
                self.report(
                    format!("{here} headers"),
                    set_difference_message("headers", &contract_headers, &emitted_headers),
                );
            }
            self.compare_content(&here, contract_response.child("content"), emitted_response.child("content"));
        }
    }

    fn compare_security(&mut self, operation: &OperationPair<'_, 'a>) {
        let contract = self.contract.security_alternatives(operation.contract.value);
        let emitted = self.emitted.security_alternatives(operation.emitted.value);
        if contract != emitted {
            let describe = |alternatives: &BTreeSet<BTreeSet<String>>| {
                if alternatives.is_empty() {
                    return "no security requirement".to_string();
                }
                let alternatives = alternatives.iter().map(|schemes| {
                    if schemes.is_empty() {
                        "anonymous access".to_string()
                    } else {
                        schemes.iter().map(|kind| format!("`{kind}`")).collect::<Vec<_>>().join(" and ")
                    }
                });
                alternatives.collect::<Vec<_>>().join(" or ")
            };
            let message = format!(
                "the contract accepts {}, the emitted spec accepts {}",
                describe(&contract),
                describe(&emitted)
            );
            self.report(format!("{} security", operation.label), message);
        }
    }

    /// Compare two `content` maps (of a request body or a response) at `here`.
    fn compare_content(&mut self, here: &str, contract: Option<Node<'a>>, emitted: Option<Node<'a>>) {
        let contract = media_types_of(contract);
        let emitted = media_types_of(emitted);
        let contract_types: BTreeSet<String> = contract.keys().cloned().collect();
        let emitted_types: BTreeSet<String> = emitted.keys().cloned().collect();
        if contract_types != emitted_types {
            self.report(
                format!("{here} content"),
                set_difference_message("media types", &contract_types, &emitted_types),
            );
        }
        for (media_type, contract_schema) in contract {
            let Some(emitted_schema) = emitted.get(&media_type) else { continue };
            self.compare_optional_schemas(
                &format!("{here} content.{media_type} schema"),
                contract_schema,
                emitted_schema.clone(),
            );
        }
    }

    fn compare_optional_schemas(&mut self, here: &str, contract: Option<Node<'a>>, emitted: Option<Node<'a>>) {
        match (contract, emitted) {
            (Some(contract), Some(emitted)) => self.compare_schemas(here, contract, emitted),
            (None, None) => {}
            (contract, _) => self.report(here, presence_message(contract.is_some(), "a schema")),
        }
    }

    /// Compare two schemas' shapes at `here`, each pair of shapes once.
    fn compare_schemas(&mut self, here: &str, contract: Node<'a>, emitted: Node<'a>) {
        let contract = Shape::of(self.contract, contract, &mut Vec::new());
        let emitted = Shape::of(self.emitted, emitted, &mut Vec::new());
        if !self.compared.insert((contract.identity(), emitted.identity())) {
            return;
        }
        let (contract_type, emitted_type) = (contract.keyword("type"), emitted.keyword("type"));
        if contract_type != emitted_type {
            // Everything else would differ too: the type says it all.
            let message = value_message(contract_type, emitted_type);
            return self.report_aspect((&contract, &emitted), "type", here, message);
        }
        let (contract_format, emitted_format) = (contract.keyword("format"), emitted.keyword("format"));
        if formats_differ(contract_type, contract_format, emitted_format) {
            let message = value_message(contract_format, emitted_format);
            self.report_aspect((&contract, &emitted), "format", here, message);
        }
        self.compare_enums(here, &contract, &emitted);
        for keyword in SHAPE_KEYWORDS.into_iter().filter(|k| !matches!(*k, "type" | "format" | "enum")) {
            let absent = FALSE_WHEN_ABSENT.contains(&keyword).then_some(Value::Bool(false));
            let contract_value = contract.keyword(keyword).or(absent.as_ref());
            let emitted_value = emitted.keyword(keyword).or(absent.as_ref());
            if contract_value != emitted_value {
                let message = value_message(contract_value, emitted_value);
                self.report_aspect((&contract, &emitted), keyword, here, message);
            }
        }
        self.compare_properties(here, &contract, &emitted);
        let items = (contract.items.clone(), emitted.items.clone());
        self.compare_optional_schemas(&format!("{here}.items"), items.0, items.1);
        let additional = (contract.additional_properties.clone(), emitted.additional_properties.clone());
        self.compare_optional_schemas(&format!("{here}.additionalProperties"), additional.0, additional.1);
        self.compare_members(&format!("{here}.oneOf"), &contract.one_of, &emitted.one_of);
        self.compare_members(&format!("{here}.anyOf"), &contract.any_of, &emitted.any_of);
    }

    fn compare_enums(&mut self, here: &str, contract: &Shape<'a>, emitted: &Shape<'a>) {
        let values = |shape: &Shape<'_>| -> Option<BTreeSet<String>> {
            let values = shape.keyword("enum")?.as_array()?;
            Some(values.iter().map(Value::to_string).collect())
        };
        let message = match (values(contract), values(emitted)) {
            (Some(contract_values), Some(emitted_values)) if contract_values != emitted_values => {
                set_difference_message("values", &contract_values, &emitted_values)
            }
            (Some(_), None) => presence_message(true, "an enum"),
            (None, Some(_)) => presence_message(false, "an enum"),
            _ => return,
        };
        self.report_aspect((contract, emitted), "enum", here, message);
    }

    fn compare_properties(&mut self, here: &str, contract: &Shape<'a>, emitted: &Shape<'a>) {
        let contract_names: BTreeSet<String> = contract.properties.keys().cloned().collect();
        let emitted_names: BTreeSet<String> = emitted.properties.keys().cloned().collect();
        if contract_names != emitted_names {
            let message = set_difference_message("properties", &contract_names, &emitted_names);
            self.report_aspect((contract, emitted), "properties", here, message);
        }
        let common: BTreeSet<String> = contract_names.intersection(&emitted_names).cloned().collect();
        let required_of =
            |shape: &Shape<'_>| -> BTreeSet<String> { shape.required.intersection(&common).cloned().collect() };
        let (contract_required, emitted_required) = (required_of(contract), required_of(emitted));
        if contract_required != emitted_required {
            let message = set_difference_message("required properties", &contract_required, &emitted_required);
            self.report_aspect((contract, emitted), "required", here, message);
        }
        for name in &common {
            let (contract_property, emitted_property) = (&contract.properties[name], &emitted.properties[name]);
            self.compare_schemas(
                &format!("{here}.properties.{name}"),
                contract_property.clone(),
                emitted_property.clone(),
            );
        }
    }

    /// Compare the members of a `oneOf` or `anyOf`, in any order: members that match exactly are
    /// paired first; the rest are compared in order, and any left over are reported.
    fn compare_members(&mut self, here: &str, contract: &[Node<'a>], emitted: &[Node<'a>]) {
        let mut unmatched_emitted: Vec<usize> = (0..emitted.len()).collect();
        let mut unmatched_contract = Vec::new();
        for (index, member) in contract.iter().enumerate() {
            let matching = unmatched_emitted.iter().position(|&other| self.schemas_match(member, &emitted[other]));
            match matching {
                Some(position) => {
                    unmatched_emitted.remove(position);
                }
                None => unmatched_contract.push(index),
            }
        }
        for (&contract_index, &emitted_index) in unmatched_contract.iter().zip(&unmatched_emitted) {
            self.compare_schemas(
                &format!("{here}[{contract_index}]"),
                contract[contract_index].clone(),
                emitted[emitted_index].clone(),
            );
        }
        let paired = unmatched_contract.len().min(unmatched_emitted.len());
        for &index in &unmatched_contract[paired..] {
            self.report(format!("{here}[{index}]"), presence_message(true, "this member"));
        }
        for &index in &unmatched_emitted[paired..] {
            self.report(format!("{here}[{index}] (emitted)"), presence_message(false, "this member"));
        }
    }

    /// Would comparing these two schemas find no difference? (A trial that leaves no trace.)
    fn schemas_match(&self, contract: &Node<'a>, emitted: &Node<'a>) -> bool {
        let mut trial = Differ {
            contract: self.contract,
            emitted: self.emitted,
            compared: self.compared.clone(),
            reported: self.reported.clone(),
            found: Vec::new(),
        };
        trial.compare_schemas("", contract.clone(), emitted.clone());
        trial.found.is_empty()
    }
}

/// The two sides of one operation being compared.
struct OperationPair<'o, 'a> {
    /// `GET /v1/orders/{order_id}`, with the contract's path.
    label: &'o str,
    contract_item: &'o Node<'a>,
    contract: &'o Node<'a>,
    emitted_item: &'o Node<'a>,
    emitted: &'o Node<'a>,
    /// Emitted path parameter names to the contract's, when the path was renamed.
    renames: &'o HashMap<String, String>,
}

fn operation_label(method: &str, path: &str) -> String {
    format!("{} {path}", method.to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small contract in the style of `openapi/*.yaml`: shared components, `$ref`s everywhere, an
    /// `allOf` composition, a `oneOf`, a recursive schema and a document-level security requirement.
    const CONTRACT: &str = r##"
openapi: 3.0.3
info: {title: Orders, version: '1'}
servers: [{url: 'http://localhost:8080'}]
security:
  - bearerAuth: []
paths:
  /v1/orders:
    get:
      operationId: listOrders
      summary: List orders
      tags: [orders]
      parameters:
        - $ref: '#/components/parameters/limit'
        - name: status
          in: query
          schema: {$ref: '#/components/schemas/OrderStatus'}
        - name: X-Request-ID
          in: header
          required: false
          schema: {type: string, format: uuid}
      responses:
        '200':
          description: A page of orders.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/OrderList'}
        '401': {$ref: '#/components/responses/Unauthorized'}
    post:
      operationId: createOrder
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewOrder'}
            examples:
              simple: {value: {type: certificate}}
      responses:
        '202':
          description: Accepted.
          headers:
            Location:
              description: Where the order will be.
              schema: {type: string}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Order'}
        '400':
          description: Invalid.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
        '401': {$ref: '#/components/responses/Unauthorized'}
  /v1/orders/{order_id}:
    parameters:
      - name: order_id
        in: path
        required: true
        schema: {type: string}
    get:
      operationId: getOrder
      responses:
        '200':
          description: The order.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Order'}
        '404':
          description: No such order.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
  /health:
    get:
      operationId: health
      security: []
      responses:
        '200':
          description: Healthy.
          content:
            text/plain:
              schema: {type: string}
components:
  securitySchemes:
    bearerAuth: {type: http, scheme: bearer, bearerFormat: JWT}
  parameters:
    limit:
      name: limit
      in: query
      required: false
      schema: {type: integer, format: int32, minimum: 1, maximum: 100, default: 20}
  responses:
    Unauthorized:
      description: No valid token.
      headers:
        WWW-Authenticate: {schema: {type: string}}
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Error'}
  schemas:
    Error:
      type: object
      additionalProperties: false
      required: [code, title]
      properties:
        code: {type: integer, minimum: 400, maximum: 599}
        title: {type: string}
        message: {type: string}
    OrderStatus:
      type: string
      enum: [PENDING, ACTIVE, ERROR]
    OrderType:
      type: string
      enum: [key, certificate]
    NewOrder:
      type: object
      required: [type]
      properties:
        type: {$ref: '#/components/schemas/OrderType'}
        meta:
          type: object
          additionalProperties: {type: string}
        priority:
          allOf:
            - {$ref: '#/components/schemas/Priority'}
          default: normal
    Priority:
      type: string
      enum: [low, normal, high]
    Order:
      allOf:
        - {$ref: '#/components/schemas/NewOrder'}
        - type: object
          required: [id, status, created]
          properties:
            id: {type: string, readOnly: true}
            status: {$ref: '#/components/schemas/OrderStatus'}
            created: {type: string, format: date-time}
            error_reason: {type: string, nullable: true, maxLength: 200, pattern: '^[A-Z]'}
            parts:
              type: array
              items: {$ref: '#/components/schemas/Part'}
            secret:
              oneOf:
                - {type: string}
                - {$ref: '#/components/schemas/Part'}
    Part:
      description: A part, which may have parts of its own.
      type: object
      required: [name]
      properties:
        name: {type: string, minLength: 1}
        size: {type: number, format: double}
        parts:
          type: array
          items: {$ref: '#/components/schemas/Part'}
    OrderList:
      type: object
      required: [orders, total]
      properties:
        orders:
          type: array
          items: {$ref: '#/components/schemas/Order'}
        total: {type: integer, format: int64, minimum: 0}
"##;

    /// The same contract as poem-openapi would emit it: `3.0.0`, charset parameters, upper-cased
    /// response headers, titles, float bounds, non-standard formats, an `allOf` wrapper for a default,
    /// `required: false`/`deprecated`/`explode` on every parameter, a differently named security scheme
    /// repeated on each operation, and the `allOf` composition flattened into one object.
    const POEM_DIALECT: &str = r##"
openapi: 3.0.0
info: {title: Orders, version: '1'}
servers: []
tags: []
paths:
  /v1/orders:
    get:
      parameters:
        - {name: limit, schema: {type: integer, format: uint32, default: 20, maximum: 100.0, minimum: 1.0}, in: query, required: false, deprecated: false, explode: true}
        - {name: status, schema: {$ref: '#/components/schemas/OrderStatus'}, in: query, required: false, deprecated: false, explode: true}
        - {name: x-request-id, schema: {type: string, format: uuid}, in: header, required: false, deprecated: false, explode: true}
      responses:
        '200':
          description: ''
          content:
            'application/json; charset=utf-8':
              schema: {$ref: '#/components/schemas/OrderList'}
        '401':
          description: ''
          headers:
            WWW-AUTHENTICATE: {required: true, deprecated: false, schema: {type: string}}
          content:
            'application/json; charset=utf-8':
              schema: {$ref: '#/components/schemas/ErrorBody'}
      security: [{BearerAuth: []}]
    post:
      requestBody:
        content:
          'application/json; charset=utf-8':
            schema: {$ref: '#/components/schemas/NewOrder'}
        required: true
      responses:
        '202':
          description: ''
          content:
            'application/json; charset=utf-8':
              schema: {$ref: '#/components/schemas/Order'}
          headers:
            LOCATION: {required: true, deprecated: false, schema: {type: string}}
        '400':
          description: ''
          content:
            'application/json; charset=utf-8':
              schema: {$ref: '#/components/schemas/ErrorBody'}
        '401':
          description: ''
          headers:
            WWW-AUTHENTICATE: {required: true, deprecated: false, schema: {type: string}}
          content:
            'application/json; charset=utf-8':
              schema: {$ref: '#/components/schemas/ErrorBody'}
      security: [{BearerAuth: []}]
  /v1/orders/{order_id}:
    get:
      parameters:
        - {name: order_id, schema: {type: string}, in: path, required: true, deprecated: false, explode: true}
      responses:
        '200':
          description: ''
          content:
            'application/json; charset=utf-8':
              schema: {$ref: '#/components/schemas/Order'}
        '404':
          description: ''
          content:
            'application/json; charset=utf-8':
              schema: {$ref: '#/components/schemas/ErrorBody'}
      security: [{BearerAuth: []}]
  /health:
    get:
      responses:
        '200':
          description: ''
          content:
            'text/plain; charset=utf-8':
              schema: {type: string}
components:
  schemas:
    ErrorBody:
      type: object
      title: ErrorBody
      required: [code, title]
      properties:
        code: {type: integer, format: uint16, minimum: 400.0, maximum: 599.0}
        title: {type: string}
        message: {type: string}
    NewOrder:
      type: object
      title: NewOrder
      required: [type]
      properties:
        type: {$ref: '#/components/schemas/OrderType'}
        meta: {type: object, additionalProperties: {type: string}}
        priority:
          default: normal
          allOf:
            - {$ref: '#/components/schemas/Priority'}
            - {default: normal}
    Order:
      type: object
      title: Order
      required: [type, id, status, created]
      properties:
        type: {$ref: '#/components/schemas/OrderType'}
        meta: {type: object, additionalProperties: {type: string}}
        priority:
          default: normal
          allOf:
            - {$ref: '#/components/schemas/Priority'}
            - {default: normal}
        id: {type: string}
        status: {$ref: '#/components/schemas/OrderStatus'}
        created: {type: string, format: date-time}
        error_reason: {type: string, nullable: true, maxLength: 200, pattern: '^[A-Z]'}
        parts: {type: array, items: {$ref: '#/components/schemas/Part'}}
        secret:
          oneOf:
            - {$ref: '#/components/schemas/Part'}
            - {type: string}
    OrderList:
      type: object
      title: OrderList
      required: [orders, total]
      properties:
        orders: {type: array, items: {$ref: '#/components/schemas/Order'}}
        total: {type: integer, format: uint64}
    OrderStatus: {type: string, enum: [ACTIVE, PENDING, ERROR]}
    OrderType: {type: string, enum: [key, certificate]}
    Part:
      type: object
      title: Part
      required: [name]
      properties:
        name: {type: string, minLength: 1}
        size: {type: number, format: double}
        parts: {type: array, items: {$ref: '#/components/schemas/Part'}}
    Priority: {type: string, enum: [low, normal, high]}
  securitySchemes:
    BearerAuth: {type: http, scheme: bearer}
"##;

    fn parse(yaml: &str) -> Value {
        serde_norway::from_str(yaml).expect("test YAML parses")
    }

    /// The differences between the contract and a copy of it changed by `mutate`.
    fn differences_after(mutate: impl FnOnce(&mut Value)) -> Vec<SpecDifference> {
        let contract = parse(CONTRACT);
        let mut emitted = contract.clone();
        mutate(&mut emitted);
        spec_differences(&contract, &emitted)
    }

    fn at<'v>(document: &'v mut Value, pointer: &str) -> &'v mut Value {
        document.pointer_mut(pointer).unwrap_or_else(|| panic!("{pointer} exists in the test contract"))
    }

    fn object_at<'v>(document: &'v mut Value, pointer: &str) -> &'v mut Map<String, Value> {
        at(document, pointer).as_object_mut().unwrap_or_else(|| panic!("{pointer} is an object"))
    }

    #[track_caller]
    fn assert_one(differences: &[SpecDifference], location: &str, message: &str) {
        let expected = SpecDifference { location: location.to_string(), message: message.to_string() };
        assert_eq!(differences, [expected], "\nfound:\n{}", listing(differences));
    }

    fn listing(differences: &[SpecDifference]) -> String {
        differences.iter().map(|d| format!("  {d}\n")).collect()
    }

    #[test]
    fn a_contract_equals_itself() {
        let contract = parse(CONTRACT);
        let differences = spec_differences(&contract, &contract);
        assert!(differences.is_empty(), "{}", listing(&differences));
    }

    #[test]
    fn the_poem_dialect_of_the_contract_equals_it() {
        let differences = spec_differences(&parse(CONTRACT), &parse(POEM_DIALECT));
        assert!(differences.is_empty(), "{}", listing(&differences));
    }

    #[test]
    fn a_dropped_operation_is_named() {
        let differences = differences_after(|doc| {
            object_at(doc, "/paths/~1v1~1orders").remove("post");
        });
        assert_one(&differences, "POST /v1/orders", "the contract has this operation, the emitted spec does not");
    }

    #[test]
    fn an_extra_operation_is_named() {
        let differences = differences_after(|doc| {
            let get = at(doc, "/paths/~1health/get").clone();
            object_at(doc, "/paths").insert("/ready".into(), serde_json::json!({ "get": get }));
        });
        assert_one(&differences, "GET /ready", "the emitted spec has this operation, the contract does not");
    }

    #[test]
    fn a_renamed_path_parameter_is_one_difference() {
        let differences = differences_after(|doc| {
            let paths = object_at(doc, "/paths");
            let mut item = paths.remove("/v1/orders/{order_id}").expect("path exists");
            item["parameters"][0]["name"] = "id".into();
            paths.insert("/v1/orders/{id}".into(), item);
        });
        assert_one(
            &differences,
            "/v1/orders/{order_id}",
            "path parameter names: the contract has `/v1/orders/{order_id}`, the emitted spec has `/v1/orders/{id}`",
        );
    }

    #[test]
    fn a_changed_status_is_named() {
        let differences = differences_after(|doc| {
            let responses = object_at(doc, "/paths/~1v1~1orders~1{order_id}/get/responses");
            let not_found = responses.remove("404").expect("404 exists");
            responses.insert("410".into(), not_found);
        });
        assert_one(
            &differences,
            "GET /v1/orders/{order_id} responses",
            "status codes only in the contract: `404`; only in the emitted spec: `410`",
        );
    }

    #[test]
    fn an_extra_parameter_is_named() {
        let differences = differences_after(|doc| {
            let parameters = at(doc, "/paths/~1v1~1orders/get/parameters").as_array_mut().expect("array");
            parameters.push(serde_json::json!({"name": "offset", "in": "query", "schema": {"type": "integer"}}));
        });
        assert_one(
            &differences,
            "GET /v1/orders parameters.query.offset",
            "the emitted spec has this parameter, the contract does not",
        );
    }

    #[test]
    fn a_changed_parameter_requirement_is_named() {
        let differences = differences_after(|doc| *at(doc, "/components/parameters/limit/required") = true.into());
        assert_one(
            &differences,
            "GET /v1/orders parameters.query.limit required",
            "the contract has `false`, the emitted spec has `true`",
        );
    }

    #[test]
    fn a_type_change_is_named_once_even_in_a_shared_schema() {
        let differences =
            differences_after(|doc| *at(doc, "/components/schemas/Error/properties/title/type") = "integer".into());
        assert_one(
            &differences,
            "GET /v1/orders responses.401 content.application/json schema.properties.title.type",
            "the contract has `\"string\"`, the emitted spec has `\"integer\"`",
        );
    }

    #[test]
    fn an_enum_change_is_named() {
        let differences = differences_after(|doc| {
            at(doc, "/components/schemas/OrderStatus/enum").as_array_mut().expect("array").push("DELETED".into());
        });
        assert_one(
            &differences,
            "GET /v1/orders parameters.query.status schema.enum",
            "values only in the emitted spec: `\"DELETED\"`",
        );
    }

    #[test]
    fn a_missing_response_header_is_named() {
        let differences = differences_after(|doc| {
            object_at(doc, "/paths/~1v1~1orders/post/responses/202").remove("headers");
        });
        assert_one(&differences, "POST /v1/orders responses.202 headers", "headers only in the contract: `location`");
    }

    #[test]
    fn a_content_type_change_is_named() {
        let differences = differences_after(|doc| {
            let content = object_at(doc, "/paths/~1v1~1orders~1{order_id}/get/responses/404/content");
            let json = content.remove("application/json").expect("JSON content exists");
            content.insert("text/plain".into(), json);
        });
        assert_one(
            &differences,
            "GET /v1/orders/{order_id} responses.404 content",
            "media types only in the contract: `application/json`; only in the emitted spec: `text/plain`",
        );
    }

    #[test]
    fn a_nullable_change_is_named() {
        let differences = differences_after(|doc| {
            object_at(doc, "/components/schemas/Order/allOf/1/properties/error_reason").remove("nullable");
        });
        assert_one(
            &differences,
            "GET /v1/orders responses.200 content.application/json schema.properties.orders.items.properties.error_reason.nullable",
            "the contract has `true`, the emitted spec has `false`",
        );
    }

    #[test]
    fn a_required_change_is_named() {
        let differences =
            differences_after(|doc| *at(doc, "/components/schemas/Error/required") = serde_json::json!(["code"]));
        assert_one(
            &differences,
            "GET /v1/orders responses.401 content.application/json schema.required",
            "required properties only in the contract: `title`",
        );
    }

    #[test]
    fn a_bound_change_in_a_recursive_schema_is_named() {
        let differences =
            differences_after(|doc| *at(doc, "/components/schemas/Part/properties/name/minLength") = 2.into());
        assert_one(
            &differences,
            "GET /v1/orders responses.200 content.application/json schema.properties.orders.items.properties.parts.items.properties.name.minLength",
            "the contract has `1`, the emitted spec has `2`",
        );
    }

    #[test]
    fn a_changed_default_is_named() {
        let differences = differences_after(|doc| {
            *at(doc, "/components/schemas/NewOrder/properties/priority/default") = "high".into()
        });
        assert_one(
            &differences,
            "GET /v1/orders responses.200 content.application/json schema.properties.orders.items.properties.priority.default",
            "the contract has `\"normal\"`, the emitted spec has `\"high\"`",
        );
    }

    #[test]
    fn different_standard_formats_are_named_but_a_missing_format_is_not() {
        let differences =
            differences_after(|doc| *at(doc, "/components/parameters/limit/schema/format") = "int64".into());
        assert_one(
            &differences,
            "GET /v1/orders parameters.query.limit schema.format",
            "the contract has `\"int32\"`, the emitted spec has `\"int64\"`",
        );
        let differences = differences_after(|doc| {
            object_at(doc, "/components/parameters/limit/schema").remove("format");
        });
        assert!(differences.is_empty(), "{}", listing(&differences));
    }

    #[test]
    fn numbers_compare_as_f64_so_a_bound_beyond_f64_precision_is_not_a_difference() {
        let contract = parse(CONTRACT);
        let mut emitted = contract.clone();
        *at(&mut emitted, "/components/parameters/limit/schema/maximum") = serde_json::json!(9.223372036854776e18);
        let mut contract = contract;
        *at(&mut contract, "/components/parameters/limit/schema/maximum") = serde_json::json!(i64::MAX);
        let differences = spec_differences(&contract, &emitted);
        assert!(differences.is_empty(), "{}", listing(&differences));
        *at(&mut emitted, "/components/parameters/limit/schema/maximum") = serde_json::json!(9.0e18);
        assert_one(
            &spec_differences(&contract, &emitted),
            "GET /v1/orders parameters.query.limit schema.maximum",
            "the contract has `9.223372036854776e+18`, the emitted spec has `9e+18`",
        );
    }

    #[test]
    fn a_changed_security_requirement_is_named() {
        let differences = differences_after(|doc| {
            *at(doc, "/components/securitySchemes/bearerAuth") =
                serde_json::json!({"type": "apiKey", "in": "header", "name": "X-Auth-Token"});
        });
        let expected = "the contract accepts `http bearer`, the emitted spec accepts `apiKey header x-auth-token`";
        let locations: Vec<&str> = differences.iter().map(|d| d.location.as_str()).collect();
        assert_eq!(
            locations,
            ["GET /v1/orders security", "POST /v1/orders security", "GET /v1/orders/{order_id} security"]
        );
        assert!(differences.iter().all(|d| d.message == expected), "{}", listing(&differences));
    }

    #[test]
    fn a_changed_one_of_member_is_named() {
        let differences = differences_after(|doc| {
            *at(doc, "/components/schemas/Order/allOf/1/properties/secret/oneOf/0") =
                serde_json::json!({"type": "integer"});
        });
        assert_one(
            &differences,
            "GET /v1/orders responses.200 content.application/json schema.properties.orders.items.properties.secret.oneOf[0].type",
            "the contract has `\"string\"`, the emitted spec has `\"integer\"`",
        );
    }

    #[test]
    fn a_lost_map_value_schema_is_named() {
        let differences = differences_after(|doc| {
            object_at(doc, "/components/schemas/NewOrder/properties/meta").remove("additionalProperties");
        });
        assert_one(
            &differences,
            "GET /v1/orders responses.200 content.application/json schema.properties.orders.items.properties.meta.additionalProperties",
            "the contract has a schema, the emitted spec does not",
        );
    }

    #[test]
    fn a_schema_that_includes_itself_terminates() {
        let contract = parse(
            r##"
paths:
  /loop:
    get:
      responses:
        '200':
          description: ''
          content:
            application/json:
              schema: {$ref: '#/components/schemas/A'}
components:
  schemas:
    A: {allOf: [{$ref: '#/components/schemas/B'}], properties: {a: {$ref: '#/components/schemas/A'}}}
    B: {allOf: [{$ref: '#/components/schemas/A'}], properties: {b: {type: string}}}
    C: {$ref: '#/components/schemas/C'}
"##,
        );
        assert!(spec_differences(&contract, &contract).is_empty());
    }
}
