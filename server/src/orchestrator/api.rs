//! The orchestrator HTTP surface: one handler per operation of `openapi/orchestrator.yaml`.
//!
//! Handlers only translate: they take the caller, the parameters and the raw body, call the
//! [`OrchestratorService`](super::service::OrchestratorService), and turn the result into the operation's
//! response enum, which lists every status the contract documents. Errors become the `{code, title, message}`
//! body through `From<OrchestratorError>` (see [`super::error`]); poem's request-parsing failures through each
//! enum's `bad_request_handler`. The order of checks is the real one: the body is validated first (400), then
//! the caller (401, and 403 for scopes), then the service's own checks.

// Each response is built once per request and moved straight into the HTTP response: boxing the large
// success variants would only add an allocation.
#![allow(clippy::large_enum_variant)]

use poem::Request;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::{Json, PlainText};
use poem_openapi::{ApiResponse, OpenApi, Tags};

use super::OrchestratorState;
use super::auth::{Caller, OrchestratorCaller};
use super::error::{ErrorBody, OrchestratorError, orchestrator_error_responses};
use super::paging::{PageRequest, page_links, query_without_paging, with_query};
use super::params::{
    CreatedByParam, DeploymentRequestSchema, DeploymentStatusResetSchema, JsonBody, PageParam,
    ResourceActionRequestSchema, ScheduleRequestSchema, SizeParam, SortParam,
};
use super::validate::{self, BodyOf};
use super::views::{
    ConfigurationView, DeploymentListView, DeploymentView, ResourceListView, ResourceView, ScheduleEventListView,
    ScheduleListView, ScheduleView,
};

#[derive(Tags)]
enum ApiTags {
    /// Endpoints of the services the orchestrator relies on (no authentication).
    #[oai(rename = "configuration")]
    Configuration,
    /// TOSCA template deployments, their template, log and extended information.
    #[oai(rename = "deployments")]
    Deployments,
    /// The resources of a deployment, one per TOSCA node template instance, and actions on them.
    #[oai(rename = "resources")]
    Resources,
    /// Events fired by a deployment schedule, each of which created a deployment.
    #[oai(rename = "schedule-events")]
    ScheduleEvents,
    /// Deployment schedules, which create a deployment for every new matching data file.
    #[oai(rename = "schedules")]
    Schedules,
}

/// The orchestrator API.
pub struct OrchestratorApi {
    pub state: OrchestratorState,
}

type Www = Option<String>;

#[derive(ApiResponse)]
#[oai(bad_request_handler = "list_deployments_bad_request")]
pub enum ListDeploymentsResponse {
    /// One page of deployments.
    #[oai(status = 200)]
    Ok(Json<DeploymentListView>),
    #[oai(status = 400)]
    BadRequest(Json<ErrorBody>),
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>, #[oai(header = "WWW-Authenticate")] Www),
    #[oai(status = 403)]
    Forbidden(Json<ErrorBody>),
    #[oai(status = 500)]
    InternalServerError(Json<ErrorBody>),
}
orchestrator_error_responses!(ListDeploymentsResponse, list_deployments_bad_request {
    400 => BadRequest, 401 => Unauthorized + challenge, 403 => Forbidden, 500 => InternalServerError
} else InternalServerError);

#[derive(ApiResponse)]
#[oai(bad_request_handler = "create_deployment_bad_request")]
pub enum CreateDeploymentResponse {
    /// The deployment was created and its deployment has started.
    #[oai(status = 201)]
    Created(Json<DeploymentView>),
    #[oai(status = 400)]
    BadRequest(Json<ErrorBody>),
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>, #[oai(header = "WWW-Authenticate")] Www),
    #[oai(status = 403)]
    Forbidden(Json<ErrorBody>, #[oai(header = "WWW-Authenticate")] Www),
    #[oai(status = 500)]
    InternalServerError(Json<ErrorBody>),
}
orchestrator_error_responses!(CreateDeploymentResponse, create_deployment_bad_request {
    400 => BadRequest, 401 => Unauthorized + challenge, 403 => Forbidden + challenge, 500 => InternalServerError
} else BadRequest);

#[derive(ApiResponse)]
#[oai(bad_request_handler = "get_deployment_bad_request")]
pub enum GetDeploymentResponse {
    /// The deployment.
    #[oai(status = 200)]
    Ok(Json<DeploymentView>),
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>, #[oai(header = "WWW-Authenticate")] Www),
    #[oai(status = 403)]
    Forbidden(Json<ErrorBody>),
    #[oai(status = 404)]
    NotFound(Json<ErrorBody>),
}
orchestrator_error_responses!(GetDeploymentResponse, get_deployment_bad_request {
    401 => Unauthorized + challenge, 403 => Forbidden, 404 => NotFound
} else NotFound);

#[derive(ApiResponse)]
#[oai(bad_request_handler = "update_deployment_bad_request")]
pub enum UpdateDeploymentResponse {
    /// The update was accepted (empty body).
    #[oai(status = 202)]
    Accepted,
    #[oai(status = 400)]
    BadRequest(Json<ErrorBody>),
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>, #[oai(header = "WWW-Authenticate")] Www),
    #[oai(status = 403)]
    Forbidden(Json<ErrorBody>),
    #[oai(status = 404)]
    NotFound(Json<ErrorBody>),
    #[oai(status = 409)]
    Conflict(Json<ErrorBody>, #[oai(header = "Retry-After")] Option<i32>),
}
orchestrator_error_responses!(UpdateDeploymentResponse, update_deployment_bad_request {
    400 => BadRequest, 401 => Unauthorized + challenge, 403 => Forbidden, 404 => NotFound, 409 => Conflict + retry_after
} else BadRequest);

#[derive(ApiResponse)]
#[oai(bad_request_handler = "reset_deployment_bad_request")]
pub enum ResetDeploymentResponse {
    /// The status was reset to `DELETE_FAILED` (empty body).
    #[oai(status = 204)]
    NoContent,
    #[oai(status = 400)]
    BadRequest(Json<ErrorBody>),
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>, #[oai(header = "WWW-Authenticate")] Www),
    #[oai(status = 403)]
    Forbidden(Json<ErrorBody>),
    #[oai(status = 404)]
    NotFound(Json<ErrorBody>),
    #[oai(status = 409)]
    Conflict(Json<ErrorBody>),
    #[oai(status = 500)]
    InternalServerError(Json<ErrorBody>),
}
orchestrator_error_responses!(ResetDeploymentResponse, reset_deployment_bad_request {
    400 => BadRequest, 401 => Unauthorized + challenge, 403 => Forbidden, 404 => NotFound, 409 => Conflict,
    500 => InternalServerError
} else BadRequest);

#[derive(ApiResponse)]
#[oai(bad_request_handler = "delete_deployment_bad_request")]
pub enum DeleteDeploymentResponse {
    /// The deletion was accepted (empty body).
    #[oai(status = 204)]
    NoContent,
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>, #[oai(header = "WWW-Authenticate")] Www),
    #[oai(status = 403)]
    Forbidden(Json<ErrorBody>),
    #[oai(status = 404)]
    NotFound(Json<ErrorBody>),
    #[oai(status = 409)]
    Conflict(Json<ErrorBody>, #[oai(header = "Retry-After")] Option<i32>),
}
orchestrator_error_responses!(DeleteDeploymentResponse, delete_deployment_bad_request {
    401 => Unauthorized + challenge, 403 => Forbidden, 404 => NotFound, 409 => Conflict + retry_after
} else NotFound);

/// The text answers (log, extended information): the same statuses.
#[derive(ApiResponse)]
#[oai(bad_request_handler = "deployment_text_bad_request")]
pub enum DeploymentTextResponse {
    /// The text.
    #[oai(status = 200)]
    Ok(PlainText<String>),
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>, #[oai(header = "WWW-Authenticate")] Www),
    #[oai(status = 403)]
    Forbidden(Json<ErrorBody>),
    #[oai(status = 404)]
    NotFound(Json<ErrorBody>),
    #[oai(status = 500)]
    InternalServerError(Json<ErrorBody>),
}
orchestrator_error_responses!(DeploymentTextResponse, deployment_text_bad_request {
    401 => Unauthorized + challenge, 403 => Forbidden, 404 => NotFound, 500 => InternalServerError
} else InternalServerError);

#[derive(ApiResponse)]
#[oai(bad_request_handler = "get_template_bad_request")]
pub enum GetDeploymentTemplateResponse {
    /// The TOSCA template, YAML sent as `text/plain`.
    #[oai(status = 200)]
    Ok(PlainText<String>),
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>, #[oai(header = "WWW-Authenticate")] Www),
    #[oai(status = 403)]
    Forbidden(Json<ErrorBody>),
    #[oai(status = 404)]
    NotFound(Json<ErrorBody>),
}
orchestrator_error_responses!(GetDeploymentTemplateResponse, get_template_bad_request {
    401 => Unauthorized + challenge, 403 => Forbidden, 404 => NotFound
} else NotFound);

#[derive(ApiResponse)]
#[oai(bad_request_handler = "list_resources_bad_request")]
pub enum ListResourcesResponse {
    /// One page of resources.
    #[oai(status = 200)]
    Ok(Json<ResourceListView>),
    #[oai(status = 400)]
    BadRequest(Json<ErrorBody>),
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>, #[oai(header = "WWW-Authenticate")] Www),
    #[oai(status = 403)]
    Forbidden(Json<ErrorBody>),
    #[oai(status = 404)]
    NotFound(Json<ErrorBody>),
    #[oai(status = 500)]
    InternalServerError(Json<ErrorBody>),
}
orchestrator_error_responses!(ListResourcesResponse, list_resources_bad_request {
    400 => BadRequest, 401 => Unauthorized + challenge, 403 => Forbidden, 404 => NotFound, 500 => InternalServerError
} else InternalServerError);

#[derive(ApiResponse)]
#[oai(bad_request_handler = "get_resource_bad_request")]
pub enum GetResourceResponse {
    /// The resource.
    #[oai(status = 200)]
    Ok(Json<ResourceView>),
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>, #[oai(header = "WWW-Authenticate")] Www),
    #[oai(status = 403)]
    Forbidden(Json<ErrorBody>),
    #[oai(status = 404)]
    NotFound(Json<ErrorBody>),
}
orchestrator_error_responses!(GetResourceResponse, get_resource_bad_request {
    401 => Unauthorized + challenge, 403 => Forbidden, 404 => NotFound
} else NotFound);

#[derive(ApiResponse)]
#[oai(bad_request_handler = "resource_action_bad_request")]
pub enum PerformResourceActionResponse {
    /// The action was accepted (empty body).
    #[oai(status = 202)]
    Accepted,
    #[oai(status = 400)]
    BadRequest(Json<ErrorBody>),
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>, #[oai(header = "WWW-Authenticate")] Www),
    #[oai(status = 403)]
    Forbidden(Json<ErrorBody>),
    #[oai(status = 404)]
    NotFound(Json<ErrorBody>),
    #[oai(status = 409)]
    Conflict(Json<ErrorBody>),
}
orchestrator_error_responses!(PerformResourceActionResponse, resource_action_bad_request {
    400 => BadRequest, 401 => Unauthorized + challenge, 403 => Forbidden, 404 => NotFound, 409 => Conflict
} else BadRequest);

#[derive(ApiResponse)]
#[oai(bad_request_handler = "configuration_bad_request")]
pub enum GetConfigurationResponse {
    /// The service endpoints.
    #[oai(status = 200)]
    Ok(Json<ConfigurationView>),
    #[oai(status = 406)]
    NotAcceptable(Json<ErrorBody>),
}
orchestrator_error_responses!(GetConfigurationResponse, configuration_bad_request { 406 => NotAcceptable } else NotAcceptable);

#[derive(ApiResponse)]
#[oai(bad_request_handler = "list_schedules_bad_request")]
pub enum ListSchedulesResponse {
    /// One page of schedules.
    #[oai(status = 200)]
    Ok(Json<ScheduleListView>),
    #[oai(status = 400)]
    BadRequest(Json<ErrorBody>),
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>, #[oai(header = "WWW-Authenticate")] Www),
    #[oai(status = 403)]
    Forbidden(Json<ErrorBody>),
    #[oai(status = 500)]
    InternalServerError(Json<ErrorBody>),
}
orchestrator_error_responses!(ListSchedulesResponse, list_schedules_bad_request {
    400 => BadRequest, 401 => Unauthorized + challenge, 403 => Forbidden, 500 => InternalServerError
} else InternalServerError);

#[derive(ApiResponse)]
#[oai(bad_request_handler = "create_schedule_bad_request")]
pub enum CreateScheduleResponse {
    /// The schedule was created.
    #[oai(status = 201)]
    Created(Json<ScheduleView>),
    #[oai(status = 400)]
    BadRequest(Json<ErrorBody>),
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>, #[oai(header = "WWW-Authenticate")] Www),
    #[oai(status = 403)]
    Forbidden(Json<ErrorBody>, #[oai(header = "WWW-Authenticate")] Www),
}
orchestrator_error_responses!(CreateScheduleResponse, create_schedule_bad_request {
    400 => BadRequest, 401 => Unauthorized + challenge, 403 => Forbidden + challenge
} else BadRequest);

#[derive(ApiResponse)]
#[oai(bad_request_handler = "get_schedule_bad_request")]
pub enum GetScheduleResponse {
    /// The schedule.
    #[oai(status = 200)]
    Ok(Json<ScheduleView>),
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>, #[oai(header = "WWW-Authenticate")] Www),
    #[oai(status = 403)]
    Forbidden(Json<ErrorBody>),
    #[oai(status = 404)]
    NotFound(Json<ErrorBody>),
}
orchestrator_error_responses!(GetScheduleResponse, get_schedule_bad_request {
    401 => Unauthorized + challenge, 403 => Forbidden, 404 => NotFound
} else NotFound);

#[derive(ApiResponse)]
#[oai(bad_request_handler = "list_events_bad_request")]
pub enum ListScheduleEventsResponse {
    /// One page of events.
    #[oai(status = 200)]
    Ok(Json<ScheduleEventListView>),
    #[oai(status = 400)]
    BadRequest(Json<ErrorBody>),
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>, #[oai(header = "WWW-Authenticate")] Www),
    #[oai(status = 403)]
    Forbidden(Json<ErrorBody>),
    #[oai(status = 500)]
    InternalServerError(Json<ErrorBody>),
}
orchestrator_error_responses!(ListScheduleEventsResponse, list_events_bad_request {
    400 => BadRequest, 401 => Unauthorized + challenge, 403 => Forbidden, 500 => InternalServerError
} else InternalServerError);

fn page_request(page: &Query<Option<PageParam>>, size: &Query<Option<SizeParam>>) -> PageRequest {
    PageRequest::from_params(page.0.as_ref().map(|p| p.0.as_str()), size.0.as_ref().map(|s| s.0.as_str()))
}

/// The raw value of a query parameter (hrefs repeat what the client sent).
fn raw_query_value(req: &Request, name: &str) -> Option<String> {
    query_without_paging(req.uri().query()).into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

impl OrchestratorApi {
    /// The base of every href: `--orchestrator-public-url`, else scheme, host and port of the request (honouring
    /// `X-Forwarded-Proto` / `X-Forwarded-Host`, as `server.use-forward-headers=true` does).
    fn base(&self, req: &Request) -> String {
        if let Some(url) = &self.state.settings.public_url {
            return url.clone();
        }
        let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
        let proto = header("X-Forwarded-Proto").unwrap_or_else(|| "http".into());
        let host = header("X-Forwarded-Host").or_else(|| header("Host")).unwrap_or_else(|| "localhost:8080".into());
        format!("{proto}://{host}")
    }

    /// The links of a resource or event page: the request URL, its other parameters kept, paging appended.
    fn request_page_links(
        &self,
        req: &Request,
        page: &PageRequest,
        meta: &super::paging::PageMeta,
        sort: &[String],
        columns: super::paging::SortColumns,
    ) -> Vec<super::paging::PageLink> {
        let base =
            with_query(&format!("{}{}", self.base(req), req.uri().path()), &query_without_paging(req.uri().query()));
        let sort = super::paging::parse_sort(sort, columns, "").unwrap_or_default();
        page_links(&base, None, page, meta, &sort)
    }
}

fn caller_of(caller: OrchestratorCaller) -> Result<Caller, OrchestratorError> {
    caller.0
}

#[OpenApi]
impl OrchestratorApi {
    /// List deployments
    #[oai(path = "/deployments", method = "get", operation_id = "listDeployments", tag = "ApiTags::Deployments")]
    #[allow(clippy::too_many_arguments)]
    async fn list_deployments(
        &self,
        req: &Request,
        caller: OrchestratorCaller,
        #[oai(name = "createdBy")] created_by: Query<Option<CreatedByParam>>,
        #[oai(name = "userGroup")] user_group: Query<Option<String>>,
        page: Query<Option<PageParam>>,
        size: Query<Option<SizeParam>>,
        sort: Query<SortParam>,
    ) -> ListDeploymentsResponse {
        let run = async {
            let caller = caller_of(caller)?;
            let paging = page_request(&page, &size);
            let result = self
                .state
                .service
                .list_deployments(
                    &caller,
                    created_by.0.as_ref().map(|c| c.0.as_str()),
                    user_group.0.as_deref(),
                    paging,
                    &sort.0.0,
                )
                .await?;
            let base = self.base(req);
            let mut kept = Vec::new();
            for name in ["createdBy", "userGroup"] {
                if let Some(v) = raw_query_value(req, name) {
                    kept.push((name.to_string(), v));
                }
            }
            let own = with_query(&format!("{base}/deployments"), &kept);
            let sort = super::paging::parse_sort(&sort.0.0, super::paging::DEPLOYMENT_SORT, "").unwrap_or_default();
            let links = page_links(&own, Some(&own), &paging, &result.meta, &sort);
            Ok::<_, OrchestratorError>(DeploymentListView::new(&result.items, &base, links, &result.meta))
        };
        match run.await {
            Ok(view) => ListDeploymentsResponse::Ok(Json(view)),
            Err(e) => e.into(),
        }
    }

    /// Create a deployment
    #[oai(path = "/deployments", method = "post", operation_id = "createDeployment", tag = "ApiTags::Deployments")]
    async fn create_deployment(
        &self,
        req: &Request,
        caller: OrchestratorCaller,
        body: JsonBody<DeploymentRequestSchema>,
    ) -> CreateDeploymentResponse {
        let run = async {
            let request = validate::deployment_request(&body.raw, BodyOf::CreateDeployment)?;
            let caller = caller_of(caller)?;
            let d = self.state.service.create_deployment(&caller, request).await?;
            Ok::<_, OrchestratorError>(DeploymentView::new(&d, Some(&self.base(req))))
        };
        match run.await {
            Ok(view) => CreateDeploymentResponse::Created(Json(view)),
            Err(e) => e.into(),
        }
    }

    /// Get a deployment
    #[oai(
        path = "/deployments/:deploymentId",
        method = "get",
        operation_id = "getDeployment",
        tag = "ApiTags::Deployments"
    )]
    async fn get_deployment(
        &self,
        req: &Request,
        caller: OrchestratorCaller,
        #[oai(name = "deploymentId")] deployment_id: Path<String>,
    ) -> GetDeploymentResponse {
        let run = async {
            let caller = caller_of(caller)?;
            let d = self.state.service.get_deployment(&caller, &deployment_id.0).await?;
            Ok::<_, OrchestratorError>(DeploymentView::new(&d, Some(&self.base(req))))
        };
        match run.await {
            Ok(view) => GetDeploymentResponse::Ok(Json(view)),
            Err(e) => e.into(),
        }
    }

    /// Update a deployment
    #[oai(
        path = "/deployments/:deploymentId",
        method = "put",
        operation_id = "updateDeployment",
        tag = "ApiTags::Deployments"
    )]
    async fn update_deployment(
        &self,
        caller: OrchestratorCaller,
        #[oai(name = "deploymentId")] deployment_id: Path<String>,
        body: JsonBody<DeploymentRequestSchema>,
    ) -> UpdateDeploymentResponse {
        let run = async {
            let request = validate::deployment_request(&body.raw, BodyOf::UpdateDeployment)?;
            let caller = caller_of(caller)?;
            self.state.service.update_deployment(&caller, &deployment_id.0, request).await
        };
        match run.await {
            Ok(()) => UpdateDeploymentResponse::Accepted,
            Err(e) => e.into(),
        }
    }

    /// Reset the status of a deployment
    #[oai(
        path = "/deployments/:deploymentId",
        method = "patch",
        operation_id = "resetDeployment",
        tag = "ApiTags::Deployments"
    )]
    async fn reset_deployment(
        &self,
        caller: OrchestratorCaller,
        #[oai(name = "deploymentId")] deployment_id: Path<String>,
        body: JsonBody<DeploymentStatusResetSchema>,
    ) -> ResetDeploymentResponse {
        let run = async {
            let status = validate::reset_status(&body.raw)?;
            let caller = caller_of(caller)?;
            self.state.service.reset_deployment(&caller, &deployment_id.0, status).await
        };
        match run.await {
            Ok(()) => ResetDeploymentResponse::NoContent,
            Err(e) => e.into(),
        }
    }

    /// Delete a deployment
    #[oai(
        path = "/deployments/:deploymentId",
        method = "delete",
        operation_id = "deleteDeployment",
        tag = "ApiTags::Deployments"
    )]
    async fn delete_deployment(
        &self,
        caller: OrchestratorCaller,
        #[oai(name = "deploymentId")] deployment_id: Path<String>,
    ) -> DeleteDeploymentResponse {
        let run = async {
            let caller = caller_of(caller)?;
            self.state.service.delete_deployment(&caller, &deployment_id.0).await
        };
        match run.await {
            Ok(()) => DeleteDeploymentResponse::NoContent,
            Err(e) => e.into(),
        }
    }

    /// Get the extended information of a deployment
    #[oai(
        path = "/deployments/:deploymentId/extrainfo",
        method = "get",
        operation_id = "getDeploymentExtraInfo",
        tag = "ApiTags::Deployments"
    )]
    async fn get_deployment_extra_info(
        &self,
        caller: OrchestratorCaller,
        #[oai(name = "deploymentId")] deployment_id: Path<String>,
    ) -> DeploymentTextResponse {
        let run = async {
            let caller = caller_of(caller)?;
            self.state.service.deployment_extra_info(&caller, &deployment_id.0).await
        };
        match run.await {
            Ok(text) => DeploymentTextResponse::Ok(PlainText(text)),
            Err(e) => e.into(),
        }
    }

    /// Get the infrastructure log of a deployment
    #[oai(
        path = "/deployments/:deploymentId/log",
        method = "get",
        operation_id = "getDeploymentLog",
        tag = "ApiTags::Deployments"
    )]
    async fn get_deployment_log(
        &self,
        caller: OrchestratorCaller,
        #[oai(name = "deploymentId")] deployment_id: Path<String>,
    ) -> DeploymentTextResponse {
        let run = async {
            let caller = caller_of(caller)?;
            self.state.service.deployment_log(&caller, &deployment_id.0).await
        };
        match run.await {
            Ok(text) => DeploymentTextResponse::Ok(PlainText(text)),
            Err(e) => e.into(),
        }
    }

    /// Get the template of a deployment
    #[oai(
        path = "/deployments/:deploymentId/template",
        method = "get",
        operation_id = "getDeploymentTemplate",
        tag = "ApiTags::Deployments"
    )]
    async fn get_deployment_template(
        &self,
        caller: OrchestratorCaller,
        #[oai(name = "deploymentId")] deployment_id: Path<String>,
    ) -> GetDeploymentTemplateResponse {
        let run = async {
            let caller = caller_of(caller)?;
            self.state.service.deployment_template(&caller, &deployment_id.0).await
        };
        match run.await {
            Ok(text) => GetDeploymentTemplateResponse::Ok(PlainText(text)),
            Err(e) => e.into(),
        }
    }

    /// List the resources of a deployment
    #[oai(
        path = "/deployments/:deploymentId/resources",
        method = "get",
        operation_id = "listResources",
        tag = "ApiTags::Resources"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn list_resources(
        &self,
        req: &Request,
        caller: OrchestratorCaller,
        #[oai(name = "deploymentId")] deployment_id: Path<String>,
        #[oai(name = "type")] node_type: Query<Option<String>>,
        page: Query<Option<PageParam>>,
        size: Query<Option<SizeParam>>,
        sort: Query<SortParam>,
    ) -> ListResourcesResponse {
        let run = async {
            let caller = caller_of(caller)?;
            let paging = page_request(&page, &size);
            let result = self
                .state
                .service
                .list_resources(&caller, &deployment_id.0, node_type.0.as_deref(), paging, &sort.0.0)
                .await?;
            let links = self.request_page_links(req, &paging, &result.meta, &sort.0.0, super::paging::RESOURCE_SORT);
            Ok::<_, OrchestratorError>(ResourceListView::new(&result.items, &self.base(req), links, &result.meta))
        };
        match run.await {
            Ok(view) => ListResourcesResponse::Ok(Json(view)),
            Err(e) => e.into(),
        }
    }

    /// Get a resource of a deployment
    #[oai(
        path = "/deployments/:deploymentId/resources/:resourceId",
        method = "get",
        operation_id = "getResource",
        tag = "ApiTags::Resources"
    )]
    async fn get_resource(
        &self,
        req: &Request,
        caller: OrchestratorCaller,
        #[oai(name = "deploymentId")] deployment_id: Path<String>,
        #[oai(name = "resourceId")] resource_id: Path<String>,
    ) -> GetResourceResponse {
        let run = async {
            let caller = caller_of(caller)?;
            let r = self.state.service.get_resource(&caller, &deployment_id.0, &resource_id.0).await?;
            Ok::<_, OrchestratorError>(ResourceView::new(&r, &self.base(req)))
        };
        match run.await {
            Ok(view) => GetResourceResponse::Ok(Json(view)),
            Err(e) => e.into(),
        }
    }

    /// Perform an action on a resource
    #[oai(
        path = "/deployments/:deploymentId/resources/:resourceId/actions",
        method = "post",
        operation_id = "performResourceAction",
        tag = "ApiTags::Resources"
    )]
    async fn perform_resource_action(
        &self,
        caller: OrchestratorCaller,
        #[oai(name = "deploymentId")] deployment_id: Path<String>,
        #[oai(name = "resourceId")] resource_id: Path<String>,
        body: JsonBody<ResourceActionRequestSchema>,
    ) -> PerformResourceActionResponse {
        let run = async {
            let action = validate::action_type(&body.raw)?;
            let caller = caller_of(caller)?;
            self.state.service.resource_action(&caller, &deployment_id.0, &resource_id.0, &action).await
        };
        match run.await {
            Ok(()) => PerformResourceActionResponse::Accepted,
            Err(e) => e.into(),
        }
    }

    /// Get the orchestrator configuration
    #[oai(path = "/configuration", method = "get", operation_id = "getConfiguration", tag = "ApiTags::Configuration")]
    async fn get_configuration(&self) -> GetConfigurationResponse {
        GetConfigurationResponse::Ok(Json(self.state.settings.configuration.clone()))
    }

    /// List deployment schedules
    #[oai(path = "/schedules", method = "get", operation_id = "listSchedules", tag = "ApiTags::Schedules")]
    async fn list_schedules(
        &self,
        req: &Request,
        caller: OrchestratorCaller,
        #[oai(name = "createdBy")] created_by: Query<Option<CreatedByParam>>,
        page: Query<Option<PageParam>>,
        size: Query<Option<SizeParam>>,
        sort: Query<SortParam>,
    ) -> ListSchedulesResponse {
        let run = async {
            let caller = caller_of(caller)?;
            let paging = page_request(&page, &size);
            let result = self
                .state
                .service
                .list_schedules(&caller, created_by.0.as_ref().map(|c| c.0.as_str()), paging, &sort.0.0)
                .await?;
            let base = self.base(req);
            let kept: Vec<(String, String)> =
                raw_query_value(req, "createdBy").map(|v| ("createdBy".to_string(), v)).into_iter().collect();
            let own = with_query(&format!("{base}/schedules"), &kept);
            let sort = super::paging::parse_sort(&sort.0.0, super::paging::SCHEDULE_SORT, "").unwrap_or_default();
            let links = page_links(&own, Some(&own), &paging, &result.meta, &sort);
            Ok::<_, OrchestratorError>(ScheduleListView::new(&result.items, &base, links, &result.meta))
        };
        match run.await {
            Ok(view) => ListSchedulesResponse::Ok(Json(view)),
            Err(e) => e.into(),
        }
    }

    /// Create a deployment schedule
    #[oai(path = "/schedules", method = "post", operation_id = "createSchedule", tag = "ApiTags::Schedules")]
    async fn create_schedule(
        &self,
        req: &Request,
        caller: OrchestratorCaller,
        body: JsonBody<ScheduleRequestSchema>,
    ) -> CreateScheduleResponse {
        let run = async {
            let request = validate::schedule_request(&body.raw)?;
            let caller = caller_of(caller)?;
            let s = self.state.service.create_schedule(&caller, request).await?;
            Ok::<_, OrchestratorError>(ScheduleView::new(&s, &self.base(req)))
        };
        match run.await {
            Ok(view) => CreateScheduleResponse::Created(Json(view)),
            Err(e) => e.into(),
        }
    }

    /// Get a deployment schedule
    #[oai(path = "/schedules/:scheduleId", method = "get", operation_id = "getSchedule", tag = "ApiTags::Schedules")]
    async fn get_schedule(
        &self,
        req: &Request,
        caller: OrchestratorCaller,
        #[oai(name = "scheduleId")] schedule_id: Path<String>,
    ) -> GetScheduleResponse {
        let run = async {
            let caller = caller_of(caller)?;
            let s = self.state.service.get_schedule(&caller, &schedule_id.0).await?;
            Ok::<_, OrchestratorError>(ScheduleView::new(&s, &self.base(req)))
        };
        match run.await {
            Ok(view) => GetScheduleResponse::Ok(Json(view)),
            Err(e) => e.into(),
        }
    }

    /// List the events of a deployment schedule
    #[oai(
        path = "/schedules/:scheduleId/events",
        method = "get",
        operation_id = "listScheduleEvents",
        tag = "ApiTags::ScheduleEvents"
    )]
    async fn list_schedule_events(
        &self,
        req: &Request,
        caller: OrchestratorCaller,
        #[oai(name = "scheduleId")] schedule_id: Path<String>,
        page: Query<Option<PageParam>>,
        size: Query<Option<SizeParam>>,
        sort: Query<SortParam>,
    ) -> ListScheduleEventsResponse {
        let run = async {
            caller_of(caller)?;
            let paging = page_request(&page, &size);
            let result = self.state.service.list_schedule_events(&schedule_id.0, paging, &sort.0.0).await?;
            let links = self.request_page_links(req, &paging, &result.meta, &sort.0.0, super::paging::EVENT_SORT);
            Ok::<_, OrchestratorError>(ScheduleEventListView::new(&result.items, links, &result.meta))
        };
        match run.await {
            Ok(view) => ListScheduleEventsResponse::Ok(Json(view)),
            Err(e) => e.into(),
        }
    }
}
