//! `/openapi.yaml` and `/openapi.json`: each listener serves its hand-written contract from
//! `openapi/`, embedded in the binary, so tools and the docs see the documented examples.

use poem::http::StatusCode;
use poem::{EndpointExt, Response, Route, get, handler, web::Data};

#[derive(Clone)]
struct ContractText {
    yaml: &'static str,
    json: std::sync::Arc<String>,
}

#[handler]
fn yaml(contract: Data<&ContractText>) -> Response {
    Response::builder().status(StatusCode::OK).content_type("application/yaml").body(contract.yaml)
}

#[handler]
fn json(contract: Data<&ContractText>) -> Response {
    Response::builder().status(StatusCode::OK).content_type("application/json").body(contract.json.as_str().to_owned())
}

/// Add the two contract routes to a listener's routes (the JSON is converted once, at start).
pub fn add(route: Route, contract_yaml: &'static str) -> anyhow::Result<Route> {
    let value: serde_json::Value = serde_norway::from_str(contract_yaml)?;
    let contract = ContractText { yaml: contract_yaml, json: std::sync::Arc::new(serde_json::to_string(&value)?) };
    Ok(route.at("/openapi.yaml", get(yaml).data(contract.clone())).at("/openapi.json", get(json).data(contract)))
}
