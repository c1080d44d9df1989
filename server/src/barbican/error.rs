//! Barbican's errors, converted to its error body in one place.
//!
//! Every failure the Barbican API can answer with is a [`BarbicanError`]; [`BarbicanError::body`]
//! turns it into Barbican's `{"code", "title", "description"}` body (Barbican 21.0.0's `JSONErrorHook`).
//! Request-parsing failures from poem come through [`from_poem`], so they get the same body and
//! never poem's default text.

use poem::http::StatusCode;
use poem_openapi::Object;

use crate::openapi_types::Nullable;

/// Barbican's error body. Keys come out in this order: `code`, `title`, `description`.
#[derive(Debug, Clone, PartialEq, Object)]
#[oai(rename = "BarbicanError")]
pub struct ErrorBody {
    /// The HTTP status code (an error status, 400 to 599).
    #[oai(validator(minimum(value = "400"), maximum(value = "599")))]
    pub code: u16,
    /// The HTTP reason phrase.
    pub title: String,
    /// What went wrong; null for a refused `Accept` header.
    pub description: Nullable<String>,
}

/// Everything that can go wrong in the Barbican API.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BarbicanError {
    #[error("400: {0}")]
    BadRequest(String),
    #[error("401: {0}")]
    Unauthorized(String),
    #[error("403: {0}")]
    Forbidden(String),
    #[error("404: {0}")]
    NotFound(String),
    /// `description` is `""` for a bare unsupported method.
    #[error("405: {description}")]
    MethodNotAllowed { description: String },
    #[error("406")]
    /// `None` for a refused `Accept` header (Pecan's negotiation); a reason for a refused payload type.
    NotAcceptable(Option<String>),
    #[error("413")]
    PayloadTooLarge,
    #[error("415")]
    UnsupportedMediaType,
    #[error("500: {0}")]
    Internal(String),
}

impl BarbicanError {
    pub fn order_not_found() -> Self {
        BarbicanError::NotFound("Order not found.".into())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            BarbicanError::BadRequest(_) => StatusCode::BAD_REQUEST,
            BarbicanError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            BarbicanError::Forbidden(_) => StatusCode::FORBIDDEN,
            BarbicanError::NotFound(_) => StatusCode::NOT_FOUND,
            BarbicanError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            BarbicanError::NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
            BarbicanError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            BarbicanError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            BarbicanError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The reason phrase Barbican (webob) puts in `title`.
    pub fn title(&self) -> &'static str {
        match self {
            BarbicanError::BadRequest(_) => "Bad Request",
            BarbicanError::Unauthorized(_) => "Unauthorized",
            BarbicanError::Forbidden(_) => "Forbidden",
            BarbicanError::NotFound(_) => "Not Found",
            BarbicanError::MethodNotAllowed { .. } => "Method Not Allowed",
            BarbicanError::NotAcceptable(_) => "Not Acceptable",
            BarbicanError::PayloadTooLarge => "Request Entity Too Large",
            BarbicanError::UnsupportedMediaType => "Unsupported Media Type",
            BarbicanError::Internal(_) => "Internal Server Error",
        }
    }

    /// Barbican's error body for this error.
    pub fn body(&self) -> ErrorBody {
        let status = self.status();
        let description = match self {
            BarbicanError::BadRequest(d)
            | BarbicanError::Unauthorized(d)
            | BarbicanError::Forbidden(d)
            | BarbicanError::NotFound(d)
            | BarbicanError::Internal(d) => Some(d.clone()),
            BarbicanError::MethodNotAllowed { description } => Some(description.clone()),
            BarbicanError::NotAcceptable(reason) => reason.clone(),
            BarbicanError::PayloadTooLarge => Some("Provided information too large to process".into()),
            BarbicanError::UnsupportedMediaType => {
                Some("Unexpected content type. Expected content types are: ['application/json']".into())
            }
        };
        ErrorBody { code: status.as_u16(), title: self.title().to_string(), description: description.into() }
    }

    /// The body as JSON text (for responses built outside poem-openapi, such as 405s).
    pub fn to_json(&self) -> String {
        let b = self.body();
        serde_json::json!({ "code": b.code, "title": b.title, "description": b.description.0 }).to_string()
    }
}

/// A poem error raised while extracting a request (bad parameter, failed security check) as a
/// Barbican error. Auth failures keep their status; everything else is a 400 naming the problem.
pub fn from_poem(err: &poem::Error) -> BarbicanError {
    match err.status() {
        StatusCode::UNAUTHORIZED => BarbicanError::Unauthorized(
            "Invalid X-Auth-Token or the token doesn't have permissions to this resource".into(),
        ),
        StatusCode::NOT_FOUND => BarbicanError::NotFound(String::new()),
        _ => BarbicanError::BadRequest(err.to_string()),
    }
}

/// Implement `From<BarbicanError>` for an operation's response enum, mapping each error status to
/// the variant that documents it, and define the enum's `bad_request_handler` (`$handler`), which
/// sends poem's request-parsing errors through the same mapping. `$fallback` takes any status the operation does not document
/// (which would be a standin bug); it must be a variant carrying `Json<ErrorBody>`.
macro_rules! barbican_error_responses {
    ($response:ident, $handler:ident { $($status:literal => $variant:ident),+ $(,)? } else $fallback:ident) => {
        fn $handler(err: poem::Error) -> $response {
            $crate::barbican::error::from_poem(&err).into()
        }

        impl From<$crate::barbican::error::BarbicanError> for $response {
            fn from(err: $crate::barbican::error::BarbicanError) -> Self {
                let body = poem_openapi::payload::Json(err.body());
                match err.status().as_u16() {
                    $($status => $response::$variant(body),)+
                    other => {
                        tracing::error!(status = other, error = %err, "undocumented error status; answering with the fallback");
                        $response::$fallback(body)
                    }
                }
            }
        }
    };
}
pub(crate) use barbican_error_responses;
