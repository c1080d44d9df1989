//! The orchestrator's errors, converted to its error body `{code, title, message}` in one place.
//!
//! Every failure the orchestrator API answers with is an [`OrchestratorError`]; [`OrchestratorError::body`]
//! renders it as the real service's `GlobalControllerExceptionHandler` / `CustomOAuth2ExceptionRenderer` do:
//! the status, its reason phrase, and the message (left out when there is none, e.g. after a Java NPE).
//! Request-parsing failures from poem come through [`from_poem`], so they get the same body.

use poem::http::StatusCode;
use poem_openapi::Object;

/// The error body. Keys come out in this order: `code`, `title`, `message`.
#[derive(Debug, Clone, PartialEq, Object)]
#[oai(rename = "OrchestratorError", skip_serializing_if_is_none)]
pub struct ErrorBody {
    /// The HTTP status code.
    #[oai(validator(minimum(value = "400"), maximum(value = "599")))]
    pub code: i32,
    /// The HTTP reason phrase of the status, e.g. `Not Found`.
    pub title: String,
    /// A displayable message describing the error (left out when there is none).
    pub message: Option<String>,
}

/// Everything that can go wrong in the orchestrator API. The `String` is the message.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OrchestratorError {
    #[error("400: {0}")]
    BadRequest(String),
    /// The message, and the `WWW-Authenticate` challenge.
    #[error("401: {message}")]
    Unauthorized { message: String, challenge: String },
    #[error("403: {0}")]
    Forbidden(String),
    #[error("404: {0}")]
    NotFound(String),
    #[error("405: {0}")]
    MethodNotAllowed(String),
    #[error("406")]
    NotAcceptable,
    #[error("409: {0}")]
    Conflict(String),
    #[error("415: {0}")]
    UnsupportedMediaType(String),
    /// `None` for a Java exception without a message (the body then has no `message`).
    #[error("500: {0:?}")]
    Internal(Option<String>),
}

impl OrchestratorError {
    pub fn deployment_not_found(id: &str) -> Self {
        OrchestratorError::NotFound(format!("The deployment <{id}> doesn't exist"))
    }

    pub fn not_owner() -> Self {
        OrchestratorError::Forbidden("Only the owner of the deployment can perform this operation".into())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            OrchestratorError::BadRequest(_) => StatusCode::BAD_REQUEST,
            OrchestratorError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            OrchestratorError::Forbidden(_) => StatusCode::FORBIDDEN,
            OrchestratorError::NotFound(_) => StatusCode::NOT_FOUND,
            OrchestratorError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            OrchestratorError::NotAcceptable => StatusCode::NOT_ACCEPTABLE,
            OrchestratorError::Conflict(_) => StatusCode::CONFLICT,
            OrchestratorError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            OrchestratorError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The body of this error.
    pub fn body(&self) -> ErrorBody {
        let status = self.status();
        let message = match self {
            OrchestratorError::BadRequest(m)
            | OrchestratorError::Forbidden(m)
            | OrchestratorError::NotFound(m)
            | OrchestratorError::MethodNotAllowed(m)
            | OrchestratorError::Conflict(m)
            | OrchestratorError::UnsupportedMediaType(m) => Some(m.clone()),
            OrchestratorError::Unauthorized { message, .. } => Some(message.clone()),
            OrchestratorError::NotAcceptable => Some("Could not find acceptable representation".into()),
            OrchestratorError::Internal(m) => m.clone(),
        };
        ErrorBody {
            code: i32::from(status.as_u16()),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            message,
        }
    }

    /// The body as JSON text (for responses built outside poem-openapi).
    pub fn to_json(&self) -> String {
        let b = self.body();
        let mut v = serde_json::json!({ "code": b.code, "title": b.title });
        if let Some(m) = b.message {
            v["message"] = m.into();
        }
        v.to_string()
    }

    /// The whole response, with the `WWW-Authenticate` challenge of a 401.
    pub fn to_response(&self) -> poem::Response {
        let mut builder = poem::Response::builder().status(self.status()).content_type(super::JSON_UTF8);
        if let OrchestratorError::Unauthorized { challenge, .. } = self {
            builder = builder.header("WWW-Authenticate", challenge.as_str());
        }
        builder.body(self.to_json())
    }
}

/// A poem error raised while extracting a request as an orchestrator error: a 400 naming the problem, as
/// Spring's `MethodArgumentTypeMismatch` / `HttpMessageNotReadable` do.
pub fn from_poem(err: &poem::Error) -> OrchestratorError {
    match err.status() {
        StatusCode::NOT_FOUND => OrchestratorError::NotFound(err.to_string()),
        StatusCode::METHOD_NOT_ALLOWED => OrchestratorError::MethodNotAllowed(err.to_string()),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => OrchestratorError::UnsupportedMediaType(err.to_string()),
        _ => OrchestratorError::BadRequest(err.to_string()),
    }
}

/// The `WWW-Authenticate` header of an error: the bearer challenge of a 401, `insufficient_scope` for a 403
/// about scopes, nothing otherwise.
pub fn challenge(err: &OrchestratorError) -> Option<String> {
    match err {
        OrchestratorError::Unauthorized { challenge, .. } => Some(challenge.clone()),
        OrchestratorError::Forbidden(message) if message.starts_with("Insufficient scope") => Some(format!(
            "Bearer realm=\"oauth\", error=\"insufficient_scope\", error_description=\"{}\"",
            message.replace('"', "'")
        )),
        _ => None,
    }
}

/// The `Retry-After` header of a conflict: only sent for concurrent updates, which standin never has.
pub fn retry_after(_err: &OrchestratorError) -> Option<i32> {
    None
}

/// Implement `From<OrchestratorError>` for an operation's response enum, mapping each error status to the
/// variant that documents it (`401 => Unauthorized + challenge` also passes the named header function's value),
/// and define the enum's `bad_request_handler` (`$handler`). `$fallback` takes any
/// status the operation does not document (a standin bug, logged); it must carry `Json<ErrorBody>`.
/// Give `body` the code and title of the response variant `variant` an undocumented error falls back to
/// (the message stays), so that a body never names another status than the one sent.
pub fn retitle(body: &mut ErrorBody, variant: &str) {
    let status = match variant {
        "BadRequest" => StatusCode::BAD_REQUEST,
        "NotFound" => StatusCode::NOT_FOUND,
        "NotAcceptable" => StatusCode::NOT_ACCEPTABLE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    body.code = i32::from(status.as_u16());
    body.title = status.canonical_reason().unwrap_or("Error").to_string();
}

macro_rules! orchestrator_error_responses {
    ($response:ident, $handler:ident { $($status:literal => $variant:ident $(+ $extra:ident)*),+ $(,)? } else $fallback:ident) => {
        fn $handler(err: poem::Error) -> $response {
            $crate::orchestrator::error::from_poem(&err).into()
        }

        impl From<$crate::orchestrator::error::OrchestratorError> for $response {
            fn from(err: $crate::orchestrator::error::OrchestratorError) -> Self {
                let body = poem_openapi::payload::Json(err.body());
                match err.status().as_u16() {
                    $($status => $response::$variant(body $(, $crate::orchestrator::error::$extra(&err))*),)+
                    other => {
                        tracing::error!(status = other, error = %err, "undocumented error status; answering with the fallback");
                        // The body's code and title follow the status actually sent.
                        let mut body = body;
                        $crate::orchestrator::error::retitle(&mut body.0, stringify!($fallback));
                        $response::$fallback(body)
                    }
                }
            }
        }
    };
}
pub(crate) use orchestrator_error_responses;
