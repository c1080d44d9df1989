//! Reading and validating request bodies as the orchestrator's Spring MVC layer does: 415 for a non-JSON
//! content type, 400 `Required request body is missing` / `JSON parse error` for unreadable bodies, and one 400
//! listing every bean-validation failure (`@NotNull`, `@Min`, `@URL`) with the real default messages.
//! Unknown properties are ignored. Strings are strict: a number where the contract says string is a parse error.

use serde_json::{Map, Value};

use super::error::OrchestratorError;

/// Which operation a body belongs to (the method signature appears in Spring's messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyOf {
    CreateDeployment,
    UpdateDeployment,
    ResetDeployment,
    ResourceAction,
    CreateSchedule,
}

impl BodyOf {
    fn signature(self) -> &'static str {
        match self {
            BodyOf::CreateDeployment => {
                "public it.reply.orchestrator.resource.DeploymentResource it.reply.orchestrator.controller.DeploymentController.createDeployment(it.reply.orchestrator.dto.request.DeploymentRequest)"
            }
            BodyOf::UpdateDeployment => {
                "public void it.reply.orchestrator.controller.DeploymentController.updateDeployment(java.lang.String,it.reply.orchestrator.dto.request.DeploymentRequest)"
            }
            BodyOf::ResetDeployment => {
                "public void it.reply.orchestrator.controller.DeploymentController.resetDeployment(java.lang.String,it.reply.orchestrator.controller.DeploymentController$DeploymentStatus)"
            }
            BodyOf::ResourceAction => {
                "public void it.reply.orchestrator.controller.ResourceController.performAction(java.lang.String,java.lang.String,it.reply.orchestrator.dto.request.ActionRequest)"
            }
            BodyOf::CreateSchedule => {
                "public it.reply.orchestrator.resource.DeploymentScheduleResource it.reply.orchestrator.controller.DeploymentScheduleController.createDeploymentSchedule(it.reply.orchestrator.dto.request.DeploymentScheduleRequest)"
            }
        }
    }

    fn argument_index(self) -> u8 {
        match self {
            BodyOf::CreateDeployment | BodyOf::CreateSchedule => 0,
            BodyOf::UpdateDeployment | BodyOf::ResetDeployment => 1,
            BodyOf::ResourceAction => 2,
        }
    }

    fn object_name(self) -> &'static str {
        match self {
            BodyOf::CreateDeployment | BodyOf::UpdateDeployment => "deploymentRequest",
            BodyOf::ResetDeployment => "deploymentStatus",
            BodyOf::ResourceAction => "actionRequest",
            BodyOf::CreateSchedule => "deploymentScheduleRequest",
        }
    }
}

/// A raw request body: its content type and bytes.
#[derive(Debug, Clone, Default)]
pub struct RawBody {
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

/// Spring's 415 for a body that is not JSON (a body without `Content-Type` is `application/octet-stream`).
/// The operations do not declare 415, so the middleware answers it before the operation runs.
pub fn unsupported_media_type(content_type: Option<&str>, has_body: bool) -> Option<OrchestratorError> {
    if !has_body && content_type.is_none() {
        return None;
    }
    let media = content_type.unwrap_or("application/octet-stream");
    let essence = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let json = essence == "application/json" || essence.ends_with("+json");
    (!json).then(|| OrchestratorError::UnsupportedMediaType(format!("Content type '{media}' not supported")))
}

/// The body as a JSON object: missing body, or `JSON parse error`.
pub fn json_object(body: &RawBody, of: BodyOf) -> Result<Map<String, Value>, OrchestratorError> {
    if body.bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(OrchestratorError::BadRequest(format!("Required request body is missing: {}", of.signature())));
    }
    match serde_json::from_slice::<Value>(&body.bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(parse_error(format!(
            "Can not deserialize instance of {} out of {} token",
            of.object_name(),
            token_name(&other)
        ))),
        Err(e) => Err(parse_error(e.to_string())),
    }
}

fn token_name(v: &Value) -> &'static str {
    match v {
        Value::Array(_) => "START_ARRAY",
        Value::String(_) => "VALUE_STRING",
        Value::Number(_) => "VALUE_NUMBER_INT",
        Value::Bool(_) => "VALUE_TRUE",
        _ => "VALUE_NULL",
    }
}

fn parse_error(detail: String) -> OrchestratorError {
    OrchestratorError::BadRequest(format!("JSON parse error: {detail}"))
}

/// Bean-validation failures, collected, then reported together.
struct Violations {
    of: BodyOf,
    errors: Vec<String>,
}

impl Violations {
    fn add(&mut self, field: &str, rejected: &Value, message: &str) {
        let rejected = match rejected {
            Value::Null => "null".to_string(),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        self.errors.push(format!(
            "[Field error in object '{}' on field '{field}': rejected value [{rejected}]; default message [{message}]]",
            self.of.object_name()
        ));
    }

    fn finish(self) -> Result<(), OrchestratorError> {
        if self.errors.is_empty() {
            return Ok(());
        }
        Err(OrchestratorError::BadRequest(format!(
            "Validation failed for argument at index {} in method: {}, with {} error(s): {} ",
            self.of.argument_index(),
            self.of.signature(),
            self.errors.len(),
            self.errors.join(" ")
        )))
    }
}

fn string_field(map: &Map<String, Value>, name: &str) -> Result<Option<String>, OrchestratorError> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(parse_error(format!(
            "Can not deserialize value of type java.lang.String from {} token (field \"{name}\")",
            token_name(other)
        ))),
    }
}

fn int_field(map: &Map<String, Value>, name: &str) -> Result<Option<i64>, OrchestratorError> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) if n.as_i64().is_some_and(|v| i32::try_from(v).is_ok()) => Ok(n.as_i64()),
        Some(other) => Err(parse_error(format!(
            "Can not deserialize value of type java.lang.Integer from {other} (field \"{name}\"): not a valid Integer value"
        ))),
    }
}

fn bool_field(map: &Map<String, Value>, name: &str) -> Result<Option<bool>, OrchestratorError> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(other) => Err(parse_error(format!(
            "Can not deserialize value of type boolean from {other} (field \"{name}\"): only \"true\" or \"false\" recognized"
        ))),
    }
}

/// `@URL(regexp = "^https?\:.*")`: empty passes; otherwise it must look like a URL with an http(s) scheme.
fn is_valid_callback(url: &str) -> bool {
    if url.is_empty() {
        return true;
    }
    let Some(rest) = url.strip_prefix("http:").or_else(|| url.strip_prefix("https:")) else { return false };
    let Some(authority) = rest.strip_prefix("//") else { return false };
    let host = authority.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty() && !url.chars().any(char::is_whitespace)
}

/// A valid `DeploymentRequest` (or the deployment part of a schedule request).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeploymentRequest {
    pub template: String,
    pub parameters: Map<String, Value>,
    pub callback: Option<String>,
    pub timeout_mins: Option<i64>,
    pub provider_timeout_mins: Option<i64>,
    pub max_providers_retry: Option<i64>,
    pub keep_last_attempt: bool,
    pub user_group: Option<String>,
}

fn deployment_fields(map: &Map<String, Value>, v: &mut Violations) -> Result<DeploymentRequest, OrchestratorError> {
    if map.get("template").is_some_and(Value::is_null) {
        return Err(parse_error("template is marked @NonNull but is null".into()));
    }
    let parameters = match map.get("parameters") {
        None => Map::new(),
        Some(Value::Object(p)) => p.clone(),
        Some(Value::Null) => return Err(parse_error("parameters is marked @NonNull but is null".into())),
        Some(other) => {
            return Err(parse_error(format!(
                "Can not deserialize instance of java.util.HashMap out of {} token",
                token_name(other)
            )));
        }
    };
    let template = string_field(map, "template")?;
    let callback = string_field(map, "callback")?;
    let timeout_mins = int_field(map, "timeoutMins")?;
    let provider_timeout_mins = int_field(map, "providerTimeoutMins")?;
    let max_providers_retry = int_field(map, "maxProvidersRetry")?;
    let keep_last_attempt = bool_field(map, "keepLastAttempt")?.unwrap_or(false);
    let user_group = string_field(map, "userGroup")?;
    if template.is_none() {
        v.add("template", &Value::Null, "A TOSCA template must be provided");
    }
    if let Some(cb) = &callback
        && !is_valid_callback(cb)
    {
        v.add("callback", &Value::from(cb.as_str()), "Callback value, if provided, must be a valid HTTP or HTTPS URL");
    }
    if let Some(t) = timeout_mins.filter(|t| *t < 1) {
        v.add("timeoutMins", &Value::from(t), "Overall timeout value, if provided, must be at least of 1 minute");
    }
    if let Some(t) = provider_timeout_mins.filter(|t| *t < 1) {
        v.add(
            "providerTimeoutMins",
            &Value::from(t),
            "Provider timeout value, if provided, must be at least of 1 minute and equal or less than timeoutMins",
        );
    }
    if let Some(t) = max_providers_retry.filter(|t| *t < 1) {
        v.add("maxProvidersRetry", &Value::from(t), "maxProvidersRetry value, if provided, must be at least of 1");
    }
    Ok(DeploymentRequest {
        template: template.unwrap_or_default(),
        parameters,
        callback,
        timeout_mins,
        provider_timeout_mins,
        max_providers_retry,
        keep_last_attempt,
        user_group,
    })
}

/// The body of `POST /deployments` or `PUT /deployments/{id}`.
pub fn deployment_request(body: &RawBody, of: BodyOf) -> Result<DeploymentRequest, OrchestratorError> {
    let map = json_object(body, of)?;
    let mut v = Violations { of, errors: Vec::new() };
    let request = deployment_fields(&map, &mut v)?;
    v.finish()?;
    Ok(request)
}

/// `providerTimeoutMins <= timeoutMins` when both are given (a service-level check in the real one).
pub fn check_provider_timeout(request: &DeploymentRequest) -> Result<(), OrchestratorError> {
    match (request.provider_timeout_mins, request.timeout_mins) {
        (Some(p), Some(t)) if p > t => Err(OrchestratorError::BadRequest("ProviderTimeout must be <= Timeout".into())),
        _ => Ok(()),
    }
}

/// A valid `DeploymentScheduleRequest`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScheduleRequest {
    pub deployment: DeploymentRequest,
    pub file_expression: String,
    pub replication_expression: String,
    pub number_of_replicas: i64,
}

pub fn schedule_request(body: &RawBody) -> Result<ScheduleRequest, OrchestratorError> {
    let of = BodyOf::CreateSchedule;
    let map = json_object(body, of)?;
    let mut v = Violations { of, errors: Vec::new() };
    let deployment = deployment_fields(&map, &mut v)?;
    let file_expression = string_field(&map, "fileExpression")?;
    let replication_expression = string_field(&map, "replicationExpression")?;
    let number_of_replicas = int_field(&map, "numberOfReplicas")?;
    if file_expression.is_none() {
        v.add("fileExpression", &Value::Null, "The expression to be used to monitor new files available");
    }
    if replication_expression.is_none() {
        v.add("replicationExpression", &Value::Null, "The expression to be used to replicate the files");
    }
    if number_of_replicas.is_none() {
        v.add("numberOfReplicas", &Value::Null, "The number of file replicas required");
    }
    v.finish()?;
    Ok(ScheduleRequest {
        deployment,
        file_expression: file_expression.unwrap_or_default(),
        replication_expression: replication_expression.unwrap_or_default(),
        number_of_replicas: number_of_replicas.unwrap_or_default(),
    })
}

/// The `status` of a PATCH body, as given (checked by the service, which follows the real order of checks).
pub fn reset_status(body: &RawBody) -> Result<Option<String>, OrchestratorError> {
    let map = json_object(body, BodyOf::ResetDeployment)?;
    string_field(&map, "status")
}

/// The `type` of an action body.
pub fn action_type(body: &RawBody) -> Result<String, OrchestratorError> {
    let of = BodyOf::ResourceAction;
    let map = json_object(body, of)?;
    let action = string_field(&map, "type")?;
    let mut v = Violations { of, errors: Vec::new() };
    if action.is_none() {
        v.add("type", &Value::Null, "An action type must be provided");
    }
    v.finish()?;
    let action = action.unwrap_or_default();
    // The document allows `start` and `stop` only (erratum O12: the real one takes any text and fails later).
    if !matches!(action.as_str(), "start" | "stop") {
        return Err(parse_error(format!(
            "Can not deserialize value of type ActionType from String \"{action}\": value not one of declared Enum instance names: [start, stop]"
        )));
    }
    Ok(action)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(text: &str) -> RawBody {
        RawBody { content_type: Some("application/json".into()), bytes: text.as_bytes().to_vec() }
    }

    #[test]
    fn rules_and_messages() {
        let ok = deployment_request(
            &body(r#"{"template":"t","timeoutMins":5,"providerTimeoutMins":10}"#),
            BodyOf::CreateDeployment,
        )
        .unwrap();
        assert_eq!(
            check_provider_timeout(&ok).unwrap_err().body().message.as_deref(),
            Some("ProviderTimeout must be <= Timeout")
        );
        let err = deployment_request(&body(r#"{"timeoutMins":0}"#), BodyOf::CreateDeployment).unwrap_err();
        let message = err.body().message.unwrap();
        assert!(message.contains("with 2 error(s)"), "{message}");
        assert!(message.contains("A TOSCA template must be provided"));
        assert!(message.contains("Overall timeout value, if provided, must be at least of 1 minute"));
        let err = deployment_request(&body(r#"{"template":"t","callback":"httptest.com"}"#), BodyOf::CreateDeployment);
        assert!(err.unwrap_err().body().message.unwrap().contains("valid HTTP or HTTPS URL"));
        assert!(deployment_request(&body(r#"{"template":"t","callback":""}"#), BodyOf::CreateDeployment).is_ok());
        let err = deployment_request(&body(r#"{"template":1}"#), BodyOf::CreateDeployment).unwrap_err();
        assert!(err.body().message.unwrap().starts_with("JSON parse error:"));
        assert_eq!(unsupported_media_type(Some("text/plain"), true).unwrap().status().as_u16(), 415);
        assert!(unsupported_media_type(Some("application/json;charset=UTF-8"), true).is_none());
        assert!(unsupported_media_type(None, false).is_none());
        let err = deployment_request(&body(""), BodyOf::CreateDeployment).unwrap_err();
        assert!(err.body().message.unwrap().starts_with("Required request body is missing"));
    }
}
