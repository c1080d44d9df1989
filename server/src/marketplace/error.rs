//! The marketplace's errors, turned into its error bodies in one place.
//!
//! Every failure the API answers with is a [`MarketplaceError`]; [`MarketplaceError::body`] gives its
//! JSON body, in one of the real service's three forms:
//! - the API's own `{"message": ...}` (404 `Entity Not Found`, the rate-limit 403, a refused JSON-P
//!   callback, routing and parsing failures);
//! - the 412 `{"message": "Validation Failed", "errors": {...}}`;
//! - the OAuth 2.0 `{"error", "error_description"[, "scope"]}`, with its `WWW-Authenticate` header.
//!
//! Bodies are written by [`super::php_json`], so they are byte-for-byte what the real service sent.

use poem::http::{HeaderValue, StatusCode};
use poem::{IntoResponse, Response};
use serde_json::{Value, json};

use super::auth::OAuth2Failure;
use super::paging::{ValidationMessages, errors_json};

/// Everything that can go wrong in the marketplace API.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MarketplaceError {
    /// No entity of the requested kind has the id.
    #[error("404: Entity Not Found")]
    EntityNotFound,
    /// The list parameters broke their rules.
    #[error("412: Validation Failed")]
    Validation(ValidationMessages),
    /// The token checks refused the request.
    #[error("{}: {}", .0.status, .0.description)]
    OAuth2(OAuth2Failure),
    /// Over the endpoint's rate limit; the message is the documented one unless the real one was asked for.
    #[error("403: rate limit exceeded")]
    RateLimited(&'static str),
    /// A JSON-P callback that is not an identifier path.
    #[error("400: refused callback")]
    CallbackRefused,
    /// A request poem could not parse (cannot happen with the lenient parameters; kept so any such
    /// failure still gets the API's body).
    #[error("400: {0}")]
    BadRequest(String),
    /// No route has this path.
    #[error("404: no such path")]
    UnknownPath,
    /// The path exists, the method does not.
    #[error("405")]
    MethodNotAllowed,
    /// A storage failure.
    #[error("500: {0}")]
    Internal(String),
}

impl From<anyhow::Error> for MarketplaceError {
    fn from(err: anyhow::Error) -> Self {
        tracing::error!(error = %err, "marketplace storage failure");
        MarketplaceError::Internal(err.to_string())
    }
}

impl MarketplaceError {
    pub fn status(&self) -> StatusCode {
        match self {
            MarketplaceError::EntityNotFound | MarketplaceError::UnknownPath => StatusCode::NOT_FOUND,
            MarketplaceError::Validation(_) => StatusCode::PRECONDITION_FAILED,
            MarketplaceError::OAuth2(failure) => {
                StatusCode::from_u16(failure.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
            MarketplaceError::RateLimited(_) => StatusCode::FORBIDDEN,
            MarketplaceError::CallbackRefused | MarketplaceError::BadRequest(_) => StatusCode::BAD_REQUEST,
            MarketplaceError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            MarketplaceError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The JSON body, key order included.
    pub fn body(&self) -> Value {
        let message = |text: &str| json!({ "message": text });
        match self {
            MarketplaceError::EntityNotFound => message("Entity Not Found"),
            MarketplaceError::Validation(messages) => {
                json!({ "message": "Validation Failed", "errors": errors_json(messages) })
            }
            MarketplaceError::OAuth2(failure) => {
                let mut body = json!({ "error": failure.code.as_str(), "error_description": failure.description });
                if let Some(scope) = &failure.scope {
                    body["scope"] = Value::from(scope.as_str());
                }
                body
            }
            MarketplaceError::RateLimited(text) => message(text),
            MarketplaceError::CallbackRefused => message(super::jsonp::REFUSED_MESSAGE),
            MarketplaceError::BadRequest(reason) => message(reason),
            MarketplaceError::UnknownPath => message("Not Found"),
            MarketplaceError::MethodNotAllowed => message("Method Not Allowed"),
            MarketplaceError::Internal(_) => message("server error"),
        }
    }

    /// The whole response: status, `application/json`, the body, and for token errors
    /// `WWW-Authenticate` with `realm` (the request host).
    pub fn to_response(&self, realm: &str) -> Response {
        let mut resp = Response::builder()
            .status(self.status())
            .content_type("application/json")
            .body(super::php_json::encode(&self.body()));
        if let MarketplaceError::OAuth2(failure) = self
            && let Ok(value) = HeaderValue::from_str(&failure.www_authenticate(realm))
        {
            resp.headers_mut().insert(poem::http::header::WWW_AUTHENTICATE, value);
        }
        resp
    }
}

impl IntoResponse for MarketplaceError {
    fn into_response(self) -> Response {
        self.to_response("")
    }
}

/// A poem error raised while extracting a request, as a marketplace error.
pub fn from_poem(err: &poem::Error) -> MarketplaceError {
    match err.status() {
        StatusCode::NOT_FOUND => MarketplaceError::UnknownPath,
        StatusCode::METHOD_NOT_ALLOWED => MarketplaceError::MethodNotAllowed,
        _ => MarketplaceError::BadRequest(err.to_string()),
    }
}

/// Implement `From<MarketplaceError>` for an operation's response enum, mapping each error status
/// to the variant that documents it, and define the enum's `bad_request_handler` (`$handler`), which
/// sends poem's request-parsing errors through the same mapping. A status the operation does not
/// document (a standin bug) becomes its 500. The header values (always `None`: the middleware sets
/// them) follow each variant.
macro_rules! marketplace_error_responses {
    ($response:ident, $handler:ident { $($status:literal => $variant:ident ( $($header:expr),* )),+ $(,)? }) => {
        fn $handler(err: poem::Error) -> $response {
            $crate::marketplace::error::from_poem(&err).into()
        }

        impl From<$crate::marketplace::error::MarketplaceError> for $response {
            fn from(err: $crate::marketplace::error::MarketplaceError) -> Self {
                let body = err.body();
                match err.status().as_u16() {
                    $($status => $response::$variant($crate::marketplace::views::ErrorJson::new(body) $(, $header)*),)+
                    other => {
                        tracing::error!(status = other, error = %err, "undocumented error status; answering 500");
                        $response::ServerError($crate::marketplace::views::ErrorJson::new(
                            $crate::marketplace::error::MarketplaceError::Internal(err.to_string()).body(),
                        ))
                    }
                }
            }
        }
    };
}
pub(crate) use marketplace_error_responses;
