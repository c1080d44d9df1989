//! The orchestrator checks: every operation × documented status of `openapi/orchestrator.yaml`.
//!
//! The checks call the server through `orchestrator-client`, the client generated from the contract
//! (`bearer_access_token` carries the token). Plain reqwest is used only for the reset to a status the
//! contract's enum does not admit (the generated model cannot carry it, and that is what the 400 is
//! about), and for `Accept` on getConfiguration's 406 (a default header of the client the generated
//! configuration carries).
//!
//! Credentials: `--token` (an ordinary user with every scope) drives the checks; `--narrow-token` (a
//! valid token without `openid`/`profile`, or without the submit scope) the 403s. Checks create the
//! deployments they need and delete them at the end (schedules stay: the contract cannot delete them).
//! The 409 checks need a deployment that is still in progress when the next request comes: against a
//! server that finishes every step before the next read (standin's default `immediate` lifecycle) they
//! skip with the reason; standin started with `--orchestrator-lifecycle after-polls:3` reaches every
//! state. The 500s need a server failure: with `--control-url` a one-shot fault rule forces it.

use std::time::Duration;

use orchestrator_client::apis::configuration::Configuration;
use orchestrator_client::apis::{
    Error as ClientError, configuration_api, deployments_api as dep, resources_api as res,
    schedule_events_api as events, schedules_api as sched,
};
use orchestrator_client::models;
use serde_json::Value;

use super::{Check, CheckFuture, CheckResult, Problem, Target, ensure};

const INVALID_TOKEN: &str = "standin-conformance-invalid-token";
const UNKNOWN_ID: &str = "00000000-0000-4000-8000-000000000000";

/// A template with a compute node and a port bound to it.
pub const TEMPLATE: &str = "tosca_definitions_version: tosca_simple_yaml_1_0

imports:
  - indigo_custom_types: https://raw.githubusercontent.com/indigo-dc/tosca-types/master/custom_types.yaml

topology_template:
  node_templates:
    vm:
      type: tosca.nodes.indigo.Compute
      capabilities:
        host:
          properties:
            num_cpus: 1
    port:
      type: tosca.nodes.network.Port
      requirements:
        - binding: vm
";

const BAD_TEMPLATE: &str = "tosca_definitions_version: nope\n";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    List,
    Create,
    Get,
    Update,
    Reset,
    Delete,
    ExtraInfo,
    Log,
    Template,
    ListResources,
    GetResource,
    Action,
    Config,
    ListSchedules,
    CreateSchedule,
    GetSchedule,
    ScheduleEvents,
}

impl Op {
    fn id(self) -> &'static str {
        match self {
            Op::List => "listDeployments",
            Op::Create => "createDeployment",
            Op::Get => "getDeployment",
            Op::Update => "updateDeployment",
            Op::Reset => "resetDeployment",
            Op::Delete => "deleteDeployment",
            Op::ExtraInfo => "getDeploymentExtraInfo",
            Op::Log => "getDeploymentLog",
            Op::Template => "getDeploymentTemplate",
            Op::ListResources => "listResources",
            Op::GetResource => "getResource",
            Op::Action => "performResourceAction",
            Op::Config => "getConfiguration",
            Op::ListSchedules => "listSchedules",
            Op::CreateSchedule => "createSchedule",
            Op::GetSchedule => "getSchedule",
            Op::ScheduleEvents => "listScheduleEvents",
        }
    }

    /// Whether the operation acts on an existing deployment.
    fn needs_deployment(self) -> bool {
        matches!(
            self,
            Op::Get
                | Op::Update
                | Op::Reset
                | Op::Delete
                | Op::ExtraInfo
                | Op::Log
                | Op::Template
                | Op::ListResources
                | Op::GetResource
                | Op::Action
        )
    }

    fn needs_schedule(self) -> bool {
        matches!(self, Op::GetSchedule | Op::ScheduleEvents)
    }
}

/// What a call is about.
#[derive(Debug, Clone, Default)]
struct Ids {
    deployment: String,
    resource: String,
    schedule: String,
    template: Option<String>,
    created_by: Option<String>,
    /// The `sort` parameters of the four lists.
    sort: Option<Vec<String>>,
}

#[derive(Debug)]
enum Outcome {
    Ok(Value),
    Status(u16, String),
    Broken(String),
}

fn outcome<T: serde::Serialize, E>(result: Result<T, ClientError<E>>) -> Outcome {
    match result {
        Ok(v) => Outcome::Ok(serde_json::to_value(v).unwrap_or(Value::Null)),
        Err(ClientError::ResponseError(r)) => Outcome::Status(r.status.as_u16(), r.content),
        Err(ClientError::Serde(e)) => Outcome::Broken(format!("a body that does not match the contract's schema: {e}")),
        Err(ClientError::Reqwest(e)) => Outcome::Broken(format!("transport error: {e}")),
        Err(ClientError::Io(e)) => Outcome::Broken(format!("I/O error: {e}")),
    }
}

fn describe(o: &Outcome) -> String {
    match o {
        Outcome::Ok(v) => format!("success {}", truncate(&v.to_string())),
        Outcome::Status(s, body) => format!("{s} {}", truncate(body)),
        Outcome::Broken(why) => why.clone(),
    }
}

fn truncate(text: &str) -> String {
    if text.len() <= 300 {
        return text.to_string();
    }
    let mut end = 300;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

fn config_with(t: &Target, token: Option<&str>, accept: Option<&str>) -> Configuration {
    let mut headers = reqwest::header::HeaderMap::new();
    if let Some(accept) = accept.and_then(|a| reqwest::header::HeaderValue::from_str(a).ok()) {
        headers.insert(reqwest::header::ACCEPT, accept);
    }
    Configuration {
        base_path: t.base_url.clone(),
        client: reqwest::Client::builder()
            .default_headers(headers)
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap_or_default(),
        bearer_access_token: token.map(str::to_string),
        ..Configuration::default()
    }
}

fn token(t: &Target) -> Result<&str, Problem> {
    t.credentials.token.as_deref().ok_or_else(|| Problem::Skip("needs --token (a user with every scope)".into()))
}

fn user(t: &Target) -> Result<Configuration, Problem> {
    Ok(config_with(t, Some(token(t)?), None))
}

fn request(template: &str) -> models::DeploymentRequest {
    models::DeploymentRequest::new(template.to_string())
}

fn schedule_request(template: &str) -> models::ScheduleRequest {
    models::ScheduleRequest::new(template.to_string(), "scope:name*".into(), "RSE_RECAS".into(), 1)
}

async fn call(op: Op, cfg: &Configuration, ids: &Ids) -> Outcome {
    let d = || ids.deployment.clone();
    let template = ids.template.clone().unwrap_or_else(|| TEMPLATE.to_string());
    match op {
        Op::List => outcome(
            dep::list_deployments(
                cfg,
                dep::ListDeploymentsParams {
                    created_by: ids.created_by.clone(),
                    user_group: None,
                    page: None,
                    size: None,
                    sort: ids.sort.clone(),
                },
            )
            .await,
        ),
        Op::Create => outcome(
            dep::create_deployment(cfg, dep::CreateDeploymentParams { deployment_request: request(&template) }).await,
        ),
        Op::Get => outcome(dep::get_deployment(cfg, dep::GetDeploymentParams { deployment_id: d() }).await),
        Op::Update => outcome(
            dep::update_deployment(
                cfg,
                dep::UpdateDeploymentParams { deployment_id: d(), deployment_request: request(&template) },
            )
            .await,
        ),
        Op::Reset => outcome(
            dep::reset_deployment(
                cfg,
                dep::ResetDeploymentParams {
                    deployment_id: d(),
                    deployment_status_reset: models::DeploymentStatusReset::new(
                        models::DeploymentResetStatus::DeleteFailed,
                    ),
                },
            )
            .await,
        ),
        Op::Delete => outcome(dep::delete_deployment(cfg, dep::DeleteDeploymentParams { deployment_id: d() }).await),
        Op::ExtraInfo => {
            outcome(dep::get_deployment_extra_info(cfg, dep::GetDeploymentExtraInfoParams { deployment_id: d() }).await)
        }
        Op::Log => outcome(dep::get_deployment_log(cfg, dep::GetDeploymentLogParams { deployment_id: d() }).await),
        Op::Template => {
            outcome(dep::get_deployment_template(cfg, dep::GetDeploymentTemplateParams { deployment_id: d() }).await)
        }
        Op::ListResources => outcome(
            res::list_resources(
                cfg,
                res::ListResourcesParams {
                    deployment_id: d(),
                    r#type: None,
                    page: None,
                    size: None,
                    sort: ids.sort.clone(),
                },
            )
            .await,
        ),
        Op::GetResource => outcome(
            res::get_resource(cfg, res::GetResourceParams { deployment_id: d(), resource_id: ids.resource.clone() })
                .await,
        ),
        Op::Action => outcome(
            res::perform_resource_action(
                cfg,
                res::PerformResourceActionParams {
                    deployment_id: d(),
                    resource_id: ids.resource.clone(),
                    resource_action_request: models::ResourceActionRequest::new(models::ResourceActionType::Stop),
                },
            )
            .await,
        ),
        Op::Config => outcome(configuration_api::get_configuration(cfg).await),
        Op::ListSchedules => outcome(
            sched::list_schedules(
                cfg,
                sched::ListSchedulesParams {
                    created_by: ids.created_by.clone(),
                    page: None,
                    size: None,
                    sort: ids.sort.clone(),
                },
            )
            .await,
        ),
        Op::CreateSchedule => outcome(
            sched::create_schedule(cfg, sched::CreateScheduleParams { schedule_request: schedule_request(&template) })
                .await,
        ),
        Op::GetSchedule => {
            outcome(sched::get_schedule(cfg, sched::GetScheduleParams { schedule_id: ids.schedule.clone() }).await)
        }
        Op::ScheduleEvents => outcome(
            events::list_schedule_events(
                cfg,
                events::ListScheduleEventsParams {
                    schedule_id: ids.schedule.clone(),
                    page: None,
                    size: None,
                    sort: ids.sort.clone(),
                },
            )
            .await,
        ),
    }
}

/// The error status, with an `OrchestratorError` body of that code and title, and a message containing
/// `part` (when given).
fn expect_error(what: &str, status: u16, title: &str, part: Option<&str>, got: Outcome) -> CheckResult {
    let body = match got {
        Outcome::Status(s, body) if s == status => body,
        other => return Err(Problem::fail(format!("{what} status"), status, describe(&other))),
    };
    let error: models::OrchestratorError = serde_json::from_str(&body).map_err(|e| {
        Problem::fail(format!("{what} body"), "an OrchestratorError body", format!("{e}: {}", truncate(&body)))
    })?;
    ensure(error.code == i32::from(status), &format!("{what} $.code"), status, error.code)?;
    ensure(error.title == title, &format!("{what} $.title"), title, &error.title)?;
    if let Some(part) = part {
        let message = error.message.unwrap_or_default();
        ensure(message.contains(part), &format!("{what} $.message"), format!("containing {part:?}"), &message)?;
    }
    Ok(())
}

fn str_at<'v>(v: &'v Value, pointer: &str) -> &'v str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or_default()
}

/// A deployment of the caller, deleted when the guard's `finish` runs.
struct Deployment {
    id: String,
    status: String,
}

async fn create(t: &Target, template: &str) -> Result<Deployment, Problem> {
    let ids = Ids { template: Some(template.into()), ..Ids::default() };
    match call(Op::Create, &user(t)?, &ids).await {
        Outcome::Ok(v) => Ok(Deployment { id: str_at(&v, "/uuid").into(), status: str_at(&v, "/status").into() }),
        other => Err(Problem::fail("createDeployment (the check's deployment)", 201, describe(&other))),
    }
}

async fn status_of(t: &Target, id: &str) -> Result<String, Problem> {
    let ids = Ids { deployment: id.into(), ..Ids::default() };
    match call(Op::Get, &user(t)?, &ids).await {
        Outcome::Ok(v) => Ok(str_at(&v, "/status").to_string()),
        Outcome::Status(404, _) => Ok("GONE".into()),
        other => Err(Problem::fail("getDeployment", 200, describe(&other))),
    }
}

/// Read until the status is no longer `*_IN_PROGRESS` (at most 30 reads, 100 ms apart).
async fn settle(t: &Target, id: &str) -> Result<String, Problem> {
    let mut status = String::new();
    for _ in 0..30 {
        status = status_of(t, id).await?;
        if !status.ends_with("_IN_PROGRESS") {
            return Ok(status);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(status)
}

/// A deployment that reached CREATE_COMPLETE.
async fn complete(t: &Target) -> Result<Deployment, Problem> {
    let d = create(t, TEMPLATE).await?;
    let status = settle(t, &d.id).await?;
    if status != "CREATE_COMPLETE" {
        cleanup(t, &d.id).await;
        return Err(Problem::fail("the check's deployment", "CREATE_COMPLETE", status));
    }
    Ok(d)
}

/// Delete a check's deployment and wait until it is gone (resetting a stuck delete first).
async fn cleanup(t: &Target, id: &str) {
    let Ok(cfg) = user(t) else { return };
    let ids = Ids { deployment: id.into(), ..Ids::default() };
    for _ in 0..3 {
        let status = settle(t, id).await.unwrap_or_default();
        if status == "GONE" || status.is_empty() {
            return;
        }
        if status == "DELETE_IN_PROGRESS" {
            let _ = call(Op::Reset, &cfg, &ids).await;
        }
        let _ = call(Op::Delete, &cfg, &ids).await;
    }
}

async fn compute_resource(t: &Target, id: &str) -> Result<String, Problem> {
    let ids = Ids { deployment: id.into(), ..Ids::default() };
    match call(Op::ListResources, &user(t)?, &ids).await {
        Outcome::Ok(v) => v
            .get("content")
            .and_then(Value::as_array)
            .and_then(|c| c.iter().find(|r| str_at(r, "/toscaNodeType").contains("Compute")))
            .map(|r| str_at(r, "/uuid").to_string())
            .ok_or_else(|| Problem::fail("listResources", "a compute resource", truncate(&v.to_string()))),
        other => Err(Problem::fail("listResources", 200, describe(&other))),
    }
}

async fn new_schedule(t: &Target) -> Result<String, Problem> {
    match call(Op::CreateSchedule, &user(t)?, &Ids::default()).await {
        Outcome::Ok(v) => Ok(str_at(&v, "/uuid").to_string()),
        other => Err(Problem::fail("createSchedule (the check's schedule)", 201, describe(&other))),
    }
}

/// The ids an operation needs, created for the check; the deployment to clean up, if any.
async fn fixture(t: &Target, op: Op) -> Result<(Ids, Option<String>), Problem> {
    let mut ids = Ids::default();
    let mut created = None;
    if op.needs_deployment() {
        let d = complete(t).await?;
        if op == Op::GetResource || op == Op::Action {
            match compute_resource(t, &d.id).await {
                Ok(r) => ids.resource = r,
                Err(e) => {
                    cleanup(t, &d.id).await;
                    return Err(e);
                }
            }
        }
        ids.deployment = d.id.clone();
        created = Some(d.id);
    }
    if op.needs_schedule() {
        ids.schedule = new_schedule(t).await?;
    }
    Ok((ids, created))
}

/// Run `f` on a fixture for `op`, then clean up.
async fn with_fixture<F, Fut>(t: &Target, op: Op, f: F) -> CheckResult
where
    F: FnOnce(Ids) -> Fut,
    Fut: std::future::Future<Output = CheckResult>,
{
    let (ids, created) = fixture(t, op).await?;
    let result = f(ids).await;
    if let Some(id) = created {
        cleanup(t, &id).await;
    }
    result
}

// ---- generic checks ----

async fn invalid_token_401(t: &Target, op: Op) -> CheckResult {
    with_fixture(t, op, |ids| async move {
        let got = call(op, &config_with(t, Some(INVALID_TOKEN), None), &ids).await;
        expect_error("unknown token", 401, "Unauthorized", Some("Invalid token"), got)
    })
    .await
}

async fn no_token_401(t: &Target, op: Op) -> CheckResult {
    with_fixture(t, op, |ids| async move {
        let got = call(op, &config_with(t, None, None), &ids).await;
        expect_error("no token", 401, "Unauthorized", Some("Full authentication is required"), got)
    })
    .await
}

async fn narrow_token_403(t: &Target, op: Op) -> CheckResult {
    let narrow = t.credentials.narrow_token.clone().ok_or_else(|| {
        Problem::Skip("needs --narrow-token (a valid token without the openid/profile scopes)".into())
    })?;
    with_fixture(t, op, |ids| async move {
        let got = call(op, &config_with(t, Some(&narrow), None), &ids).await;
        expect_error("token without the scope", 403, "Forbidden", Some("Insufficient scope"), got)
    })
    .await
}

async fn not_found_404(t: &Target, op: Op) -> CheckResult {
    let ids = Ids {
        deployment: UNKNOWN_ID.into(),
        resource: UNKNOWN_ID.into(),
        schedule: UNKNOWN_ID.into(),
        ..Ids::default()
    };
    let got = call(op, &user(t)?, &ids).await;
    expect_error("unknown id", 404, "Not Found", Some(UNKNOWN_ID), got)
}

async fn unknown_resource_404(t: &Target, op: Op) -> CheckResult {
    with_fixture(t, Op::Get, |mut ids| async move {
        ids.resource = UNKNOWN_ID.into();
        let got = call(op, &user(t)?, &ids).await;
        expect_error("unknown resource of a deployment", 404, "Not Found", Some(UNKNOWN_ID), got)
    })
    .await
}

async fn server_error_500(t: &Target, op: Op) -> CheckResult {
    with_fixture(t, op, |ids| async move {
        let rule = super::control::inject_fault(t, "orchestrator", op.id(), 500).await?;
        let got = call(op, &user(t)?, &ids).await;
        super::control::remove_fault(t, &rule).await;
        expect_error("injected server failure", 500, "Internal Server Error", None, got)
    })
    .await
}

// ---- operation checks ----

async fn list_200(t: &Target) -> CheckResult {
    let d = create(t, TEMPLATE).await?;
    let got = call(Op::List, &user(t)?, &Ids::default()).await;
    cleanup(t, &d.id).await;
    let Outcome::Ok(page) = got else { return Err(Problem::fail("listDeployments", 200, describe(&got))) };
    let listed =
        page.get("content").and_then(Value::as_array).is_some_and(|c| c.iter().any(|e| str_at(e, "/uuid") == d.id));
    ensure(listed, "$.content", format!("the new deployment {}", d.id), truncate(&page.to_string()))
}

async fn list_400(t: &Target) -> CheckResult {
    let ids = Ids { created_by: Some("nobody".into()), ..Ids::default() };
    let got = call(Op::List, &user(t)?, &ids).await;
    expect_error("createdBy=nobody", 400, "Bad Request", Some("Value nobody for param createdBy is illegal"), got)
}

async fn create_201(t: &Target) -> CheckResult {
    let got = call(Op::Create, &user(t)?, &Ids::default()).await;
    let Outcome::Ok(v) = got else { return Err(Problem::fail("createDeployment", 201, describe(&got))) };
    let id = str_at(&v, "/uuid").to_string();
    let result = (|| {
        let status = str_at(&v, "/status");
        ensure(status == "CREATE_IN_PROGRESS", "$.status", "CREATE_IN_PROGRESS", status)?;
        let links = v.get("links").and_then(Value::as_array).cloned().unwrap_or_default();
        let rels: Vec<&str> = links.iter().map(|l| str_at(l, "/rel")).collect();
        for rel in ["self", "resources", "template"] {
            ensure(rels.contains(&rel), "$.links rels", format!("{rel} among them"), format!("{rels:?}"))?;
        }
        let self_href =
            links.iter().find(|l| str_at(l, "/rel") == "self").map(|l| str_at(l, "/href")).unwrap_or_default();
        ensure(
            self_href.ends_with(&format!("/deployments/{id}")),
            "$.links[self].href",
            format!(".../deployments/{id}"),
            self_href,
        )
    })();
    cleanup(t, &id).await;
    result
}

async fn create_400(t: &Target, op: Op) -> CheckResult {
    let ids = Ids { template: Some(BAD_TEMPLATE.into()), ..Ids::default() };
    with_fixture(t, op, |mut fixture_ids| async move {
        fixture_ids.template = ids.template;
        let got = call(op, &user(t)?, &fixture_ids).await;
        expect_error("an invalid TOSCA template", 400, "Bad Request", Some("Error parsing TOSCA template"), got)
    })
    .await
}

async fn get_200(t: &Target) -> CheckResult {
    with_fixture(t, Op::Get, |ids| async move {
        let got = call(Op::Get, &user(t)?, &ids).await;
        let Outcome::Ok(v) = got else { return Err(Problem::fail("getDeployment", 200, describe(&got))) };
        ensure(str_at(&v, "/uuid") == ids.deployment, "$.uuid", &ids.deployment, str_at(&v, "/uuid"))?;
        ensure(str_at(&v, "/status") == "CREATE_COMPLETE", "$.status", "CREATE_COMPLETE", str_at(&v, "/status"))
    })
    .await
}

async fn update_202(t: &Target) -> CheckResult {
    with_fixture(t, Op::Update, |ids| async move {
        let got = call(Op::Update, &user(t)?, &ids).await;
        ensure(matches!(got, Outcome::Ok(_)), "updateDeployment", 202, describe(&got))?;
        let status = settle(t, &ids.deployment).await?;
        ensure(status == "UPDATE_COMPLETE", "status after the update", "UPDATE_COMPLETE", status)
    })
    .await
}

/// A deployment still CREATE_IN_PROGRESS; skip when the target finished it already.
async fn in_progress(t: &Target) -> Result<Deployment, Problem> {
    let d = create(t, TEMPLATE).await?;
    let status = status_of(t, &d.id).await?;
    if status != "CREATE_IN_PROGRESS" {
        cleanup(t, &d.id).await;
        return Err(Problem::Skip(format!(
            "the target finished the creation before the next request ({status}); needs a deployment still in \
             progress (standin: --orchestrator-lifecycle after-polls:3 or manual)"
        )));
    }
    let _ = d.status;
    Ok(d)
}

async fn conflict_while_creating(t: &Target, op: Op, part: &str) -> CheckResult {
    let d = in_progress(t).await?;
    let result = async {
        let mut ids = Ids { deployment: d.id.clone(), resource: UNKNOWN_ID.into(), ..Ids::default() };
        if op == Op::Action {
            ids.resource = compute_resource(t, &d.id).await?;
        }
        let got = call(op, &user(t)?, &ids).await;
        expect_error("a deployment in CREATE_IN_PROGRESS", 409, "Conflict", Some(part), got)
    }
    .await;
    cleanup(t, &d.id).await;
    result
}

async fn update_409(t: &Target) -> CheckResult {
    conflict_while_creating(t, Op::Update, "Cannot update a deployment in CREATE_IN_PROGRESS state").await
}

async fn action_409(t: &Target) -> CheckResult {
    conflict_while_creating(t, Op::Action, "Cannot perform actions on deployment in CREATE_IN_PROGRESS state").await
}

async fn reset_409(t: &Target) -> CheckResult {
    with_fixture(t, Op::Reset, |ids| async move {
        let got = call(Op::Reset, &user(t)?, &ids).await;
        expect_error("reset of a CREATE_COMPLETE deployment", 409, "Conflict", Some("CREATE_COMPLETE"), got)
    })
    .await
}

/// A complete deployment whose delete is in progress; skip when the target finished the delete already.
async fn deleting(t: &Target) -> Result<Deployment, Problem> {
    let d = complete(t).await?;
    let ids = Ids { deployment: d.id.clone(), ..Ids::default() };
    let got = call(Op::Delete, &user(t)?, &ids).await;
    ensure(matches!(got, Outcome::Ok(_)), "deleteDeployment", 204, describe(&got))?;
    let status = status_of(t, &d.id).await?;
    if status != "DELETE_IN_PROGRESS" {
        cleanup(t, &d.id).await;
        return Err(Problem::Skip(format!(
            "the target finished the delete before the next request ({status}); needs a delete still in progress \
             (standin: --orchestrator-lifecycle after-polls:3 or manual)"
        )));
    }
    Ok(d)
}

async fn reset_204(t: &Target) -> CheckResult {
    let d = deleting(t).await?;
    let result = async {
        let ids = Ids { deployment: d.id.clone(), ..Ids::default() };
        let got = call(Op::Reset, &user(t)?, &ids).await;
        ensure(matches!(got, Outcome::Ok(_)), "resetDeployment to DELETE_FAILED", 204, describe(&got))?;
        let status = status_of(t, &d.id).await?;
        ensure(status == "DELETE_FAILED", "status after the reset", "DELETE_FAILED", status)
    }
    .await;
    cleanup(t, &d.id).await;
    result
}

async fn reset_400(t: &Target) -> CheckResult {
    // Plain reqwest: the status is outside the contract's enum, which the generated model cannot carry.
    with_fixture(t, Op::Reset, |ids| async move {
        let resp = reqwest::Client::new()
            .patch(format!("{}/deployments/{}", t.base_url, ids.deployment))
            .bearer_auth(token(t)?)
            .json(&serde_json::json!({"status": "CREATE_COMPLETE"}))
            .send()
            .await
            .map_err(|e| Problem::fail("PATCH", "an answer", e))?;
        let status = resp.status().as_u16();
        let body = resp.text().await.unwrap_or_default();
        expect_error(
            "reset to CREATE_COMPLETE",
            400,
            "Bad Request",
            Some("illegal status"),
            Outcome::Status(status, body),
        )
    })
    .await
}

async fn delete_204(t: &Target) -> CheckResult {
    let d = complete(t).await?;
    let ids = Ids { deployment: d.id.clone(), ..Ids::default() };
    let got = call(Op::Delete, &user(t)?, &ids).await;
    let result = ensure(matches!(got, Outcome::Ok(_)), "deleteDeployment", 204, describe(&got));
    let after = settle(t, &d.id).await;
    cleanup(t, &d.id).await;
    result?;
    let after = after?;
    ensure(after == "GONE", "getDeployment after the delete", 404, after)
}

async fn delete_409(t: &Target) -> CheckResult {
    let d = deleting(t).await?;
    let ids = Ids { deployment: d.id.clone(), ..Ids::default() };
    let got = call(Op::Delete, &user(t)?, &ids).await;
    cleanup(t, &d.id).await;
    expect_error("a second delete", 409, "Conflict", Some("Deployment already in DELETE_IN_PROGRESS state."), got)
}

async fn text_200(t: &Target, op: Op) -> CheckResult {
    with_fixture(t, op, |ids| async move {
        let got = call(op, &user(t)?, &ids).await;
        match got {
            Outcome::Ok(Value::String(text)) if op != Op::Template || text.contains("tosca_definitions_version") => {
                Ok(())
            }
            other => Err(Problem::fail(op.id(), "200 text/plain", describe(&other))),
        }
    })
    .await
}

async fn list_resources_200(t: &Target) -> CheckResult {
    with_fixture(t, Op::ListResources, |ids| async move {
        let got = call(Op::ListResources, &user(t)?, &ids).await;
        let Outcome::Ok(v) = got else { return Err(Problem::fail("listResources", 200, describe(&got))) };
        let n = v.get("content").and_then(Value::as_array).map(Vec::len).unwrap_or_default();
        ensure(n == 2, "$.content (vm and port)", 2, n)
    })
    .await
}

async fn get_resource_200(t: &Target) -> CheckResult {
    with_fixture(t, Op::GetResource, |ids| async move {
        let got = call(Op::GetResource, &user(t)?, &ids).await;
        let Outcome::Ok(v) = got else { return Err(Problem::fail("getResource", 200, describe(&got))) };
        ensure(str_at(&v, "/uuid") == ids.resource, "$.uuid", &ids.resource, str_at(&v, "/uuid"))?;
        ensure(str_at(&v, "/toscaNodeName") == "vm", "$.toscaNodeName", "vm", str_at(&v, "/toscaNodeName"))
    })
    .await
}

async fn action_202(t: &Target) -> CheckResult {
    with_fixture(t, Op::Action, |ids| async move {
        let got = call(Op::Action, &user(t)?, &ids).await;
        ensure(matches!(got, Outcome::Ok(_)), "performResourceAction stop", 202, describe(&got))
    })
    .await
}

async fn action_400(t: &Target) -> CheckResult {
    with_fixture(t, Op::Get, |mut ids| async move {
        ids.resource = "not-a-resource".into();
        let got = call(Op::Action, &user(t)?, &ids).await;
        expect_error(
            "an action on a resource the deployment lacks",
            400,
            "Bad Request",
            Some("not found in deployment"),
            got,
        )
    })
    .await
}

async fn config_200(t: &Target) -> CheckResult {
    let got = call(Op::Config, &config_with(t, None, None), &Ids::default()).await;
    ensure(matches!(got, Outcome::Ok(_)), "getConfiguration (no token needed)", 200, describe(&got))
}

async fn config_406(t: &Target) -> CheckResult {
    let got = call(Op::Config, &config_with(t, None, Some("text/plain")), &Ids::default()).await;
    match got {
        Outcome::Status(406, _) => Ok(()),
        other => Err(Problem::fail("Accept: text/plain status", 406, describe(&other))),
    }
}

async fn list_schedules_200(t: &Target) -> CheckResult {
    let id = new_schedule(t).await?;
    let got = call(Op::ListSchedules, &user(t)?, &Ids::default()).await;
    let Outcome::Ok(page) = got else { return Err(Problem::fail("listSchedules", 200, describe(&got))) };
    let listed =
        page.get("content").and_then(Value::as_array).is_some_and(|c| c.iter().any(|e| str_at(e, "/uuid") == id));
    ensure(listed, "$.content", format!("the new schedule {id}"), truncate(&page.to_string()))
}

async fn list_schedules_400(t: &Target) -> CheckResult {
    let ids = Ids { created_by: Some("nobody".into()), ..Ids::default() };
    let got = call(Op::ListSchedules, &user(t)?, &ids).await;
    expect_error("createdBy=nobody", 400, "Bad Request", Some("nobody"), got)
}

async fn create_schedule_201(t: &Target) -> CheckResult {
    let got = call(Op::CreateSchedule, &user(t)?, &Ids::default()).await;
    let Outcome::Ok(v) = got else { return Err(Problem::fail("createSchedule", 201, describe(&got))) };
    let id = str_at(&v, "/uuid");
    let href = str_at(&v, "/links/0/href");
    ensure(href.ends_with(&format!("/schedules/{id}")), "$.links[0].href", format!(".../schedules/{id}"), href)
}

async fn get_schedule_200(t: &Target) -> CheckResult {
    let id = new_schedule(t).await?;
    let ids = Ids { schedule: id.clone(), ..Ids::default() };
    let got = call(Op::GetSchedule, &user(t)?, &ids).await;
    let Outcome::Ok(v) = got else { return Err(Problem::fail("getSchedule", 200, describe(&got))) };
    ensure(str_at(&v, "/uuid") == id, "$.uuid", &id, str_at(&v, "/uuid"))
}

async fn schedule_events_200(t: &Target) -> CheckResult {
    let id = new_schedule(t).await?;
    let ids = Ids { schedule: id, ..Ids::default() };
    let got = call(Op::ScheduleEvents, &user(t)?, &ids).await;
    ensure(matches!(got, Outcome::Ok(_)), "listScheduleEvents", 200, describe(&got))
}

/// `sort=colour` on a list: 400 naming the property and the listed entity. The real service fails with 500
/// (erratum O27); standin answers 400 unless `--orchestrator-real-500s`.
async fn unknown_sort_400(t: &Target, op: Op) -> CheckResult {
    let entity = match op {
        Op::List => "Deployment",
        Op::ListResources => "Resource",
        Op::ListSchedules => "DeploymentSchedule",
        _ => "DeploymentScheduleEvent",
    };
    with_fixture(t, op, |mut ids| async move {
        ids.sort = Some(vec!["colour".into()]);
        let got = call(op, &user(t)?, &ids).await;
        let message = format!("No property colour found for type {entity}!");
        expect_error("sort=colour", 400, "Bad Request", Some(&message), got)
    })
    .await
}

macro_rules! op_check {
    ($op:expr, $status:literal, $name:literal, $f:ident) => {
        Check {
            operation_id: $op.id(),
            status: $status,
            name: $name,
            errata: None,
            run: |t: &Target| -> CheckFuture<'_> { Box::pin($f(t, $op)) },
        }
    };
}

macro_rules! check {
    ($op:expr, $status:literal, $name:literal, $f:ident) => {
        Check {
            operation_id: $op.id(),
            status: $status,
            name: $name,
            errata: None,
            run: |t: &Target| -> CheckFuture<'_> { Box::pin($f(t)) },
        }
    };
}

macro_rules! each {
    ($out:ident, [$($op:expr),*], $status:literal, $name:literal, $f:ident) => {
        $( $out.push(op_check!($op, $status, $name, $f)); )*
    };
    ($out:ident, [$($op:expr),*], $status:literal, $name:literal, $errata:literal, $f:ident) => {
        $( $out.push(Check { errata: Some($errata), ..op_check!($op, $status, $name, $f) }); )*
    };
}

/// Every orchestrator check.
pub fn checks() -> Vec<Check> {
    use Op::*;
    let order = [
        List,
        Create,
        Get,
        Update,
        Reset,
        Delete,
        ExtraInfo,
        Log,
        Template,
        ListResources,
        GetResource,
        Action,
        Config,
        ListSchedules,
        CreateSchedule,
        GetSchedule,
        ScheduleEvents,
    ];
    let mut c = vec![
        check!(List, 200, "a new deployment is listed", list_200),
        check!(List, 400, "createdBy=nobody is 400 (illegal value)", list_400),
        check!(Create, 201, "CREATE_IN_PROGRESS with self, resources and template links", create_201),
        check!(Get, 200, "the deployment, CREATE_COMPLETE once settled", get_200),
        check!(Update, 202, "accepted, then UPDATE_COMPLETE", update_202),
        check!(Update, 409, "a deployment still CREATE_IN_PROGRESS cannot be updated", update_409),
        check!(Reset, 204, "a delete in progress is reset to DELETE_FAILED", reset_204),
        check!(Reset, 400, "a reset to CREATE_COMPLETE is 400 illegal status", reset_400),
        check!(Reset, 409, "a CREATE_COMPLETE deployment cannot be reset", reset_409),
        check!(Delete, 204, "deleted, then 404", delete_204),
        check!(Delete, 409, "a second delete while the first is in progress", delete_409),
        check!(ListResources, 200, "the compute node and the port", list_resources_200),
        op_check!(GetResource, 404, "an unknown deployment is 404 naming it", not_found_404),
        check!(GetResource, 200, "the compute node by id", get_resource_200),
        check!(Action, 202, "stop on the compute node is accepted", action_202),
        check!(Action, 400, "an action on a resource the deployment lacks is 400", action_400),
        check!(Action, 409, "no action while the deployment is CREATE_IN_PROGRESS", action_409),
        check!(Config, 200, "the configuration, without a token", config_200),
        check!(Config, 406, "Accept: text/plain is 406", config_406),
        check!(ListSchedules, 200, "a new schedule is listed", list_schedules_200),
        check!(ListSchedules, 400, "createdBy=nobody is 400", list_schedules_400),
        check!(CreateSchedule, 201, "the schedule with its self link", create_schedule_201),
        check!(GetSchedule, 200, "the schedule by id", get_schedule_200),
        check!(ScheduleEvents, 200, "a new schedule's events", schedule_events_200),
    ];
    each!(c, [ExtraInfo, Log, Template], 200, "text/plain for a complete deployment", text_200);
    each!(
        c,
        [Create, Update, CreateSchedule],
        400,
        "an invalid TOSCA template is 400 Error parsing TOSCA template",
        create_400
    );
    each!(
        c,
        [
            List,
            Create,
            Get,
            Update,
            Reset,
            Delete,
            ExtraInfo,
            Log,
            Template,
            ListResources,
            GetResource,
            Action,
            ListSchedules,
            CreateSchedule,
            GetSchedule,
            ScheduleEvents
        ],
        401,
        "an unknown token is 401 Invalid token",
        invalid_token_401
    );
    each!(
        c,
        [
            List,
            Create,
            Get,
            Update,
            Reset,
            Delete,
            ExtraInfo,
            Log,
            Template,
            ListResources,
            GetResource,
            Action,
            ListSchedules,
            CreateSchedule,
            GetSchedule,
            ScheduleEvents
        ],
        401,
        "no token is 401 Full authentication is required",
        no_token_401
    );
    each!(
        c,
        [
            List,
            Create,
            Get,
            Update,
            Reset,
            Delete,
            ExtraInfo,
            Log,
            Template,
            ListResources,
            GetResource,
            Action,
            ListSchedules,
            CreateSchedule,
            GetSchedule,
            ScheduleEvents
        ],
        403,
        "a token without the scopes (--narrow-token) is 403 Insufficient scope",
        narrow_token_403
    );
    each!(
        c,
        [Get, Update, Reset, Delete, ExtraInfo, Log, Template, ListResources, Action, GetSchedule],
        404,
        "an unknown id is 404 naming it",
        not_found_404
    );
    each!(c, [GetResource], 404, "an unknown resource of a deployment is 404", unknown_resource_404);
    each!(
        c,
        [List, ListResources, ListSchedules, ScheduleEvents],
        400,
        "an unknown sort property is 400 No property colour found",
        "O27",
        unknown_sort_400
    );
    each!(
        c,
        [List, Create, Reset, ExtraInfo, Log, ListResources, ListSchedules, ScheduleEvents],
        500,
        "a server failure (injected through --control-url) is 500 OrchestratorError",
        server_error_500
    );
    c.sort_by_key(|check| (order.iter().position(|o| o.id() == check.operation_id), check.status));
    c
}
