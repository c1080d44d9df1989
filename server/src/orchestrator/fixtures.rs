//! `--fixtures docs`: the deployments, resources, schedules and events document 004 shows, so that every
//! documented request returns the documented response (see `contract-tests/tests/it/orchestrator/
//! documented_examples.rs`), and the token the document sends (`Authorization: Bearer <access token>`).
//!
//! Every fixture deployment is held (manual lifecycle): the document shows them in fixed states, and a
//! deployment in progress must not move under a replay. Times are 2023-10-27 13:24 UTC, the document's; the
//! seconds only give the lists their documented order (newest first).

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{Map, Value, json};

use super::auth::{OidcId, TokenInfo, Tokens};
use super::model::{
    Deployment, DeploymentStatus, NodeState, Owner, PendingRule, Resource, Schedule, ScheduleEvent, Task,
};
use super::service::DOCUMENTED_TEMPLATE;
use super::store::OrchestratorStore;

/// The token of the document's requests, literally `<access token>`.
pub const DOCS_TOKEN: &str = "<access token>";
/// The issuer of every identity in the document.
pub const DOCS_ISSUER: &str = "https://iam-test.indigo-datacloud.eu/";
/// The document's caller: the owner of the listed deployments (004:242), an administrator (so that it may list
/// another user's schedules, 004:1297).
pub const DOCS_SUBJECT: &str = "13ef7b33-0caf-4a94-b559-85a931b5d1c5";
/// The owner of the listed schedules (004:1297).
pub const SCHEDULE_OWNER: &str = "a8e1aaa5-c1ea-487c-90e6-e3abfafb8520";
/// The organisation of the document's users.
pub const DOCS_ORGANISATION: &str = "indigo-dc";

const DOCUMENTED_EXTRA_INFO: &str = include_str!("documented_extrainfo.txt");
const DOCUMENTED_VM_INFO: &str = include_str!("documented_vm_info.txt");

/// Add the document's token.
pub fn add_fixture_tokens(tokens: &mut Tokens) {
    tokens.tokens.insert(
        DOCS_TOKEN.into(),
        TokenInfo {
            subject: DOCS_SUBJECT.into(),
            issuer: DOCS_ISSUER.into(),
            organisation: DOCS_ORGANISATION.into(),
            groups: vec![super::auth::ADMIN_GROUP.into()],
            scopes: ["openid", "profile", "offline_access"].map(String::from).to_vec(),
            admin: true,
        },
    );
}

fn at(second: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2023, 10, 27, 13, 24, second).single().expect("a valid time")
}

fn owner(subject: &str) -> Option<Owner> {
    Some(Owner {
        id: OidcId { subject: subject.into(), issuer: DOCS_ISSUER.into() },
        organisation: DOCS_ORGANISATION.into(),
    })
}

const PORTS_TEMPLATE: &str = "tosca_definitions_version: tosca_simple_yaml_1_0\n\ntopology_template:\n  node_templates:\n    server:\n      type: tosca.nodes.Compute\n    server_port1:\n      type: tosca.nodes.network.Port\n      requirements:\n        - binding: server\n    server_port2:\n      type: tosca.nodes.network.Port\n      requirements:\n        - binding: server\n";

const SINGLE_NODE_TEMPLATE: &str = "tosca_definitions_version: tosca_simple_yaml_1_0\n\nimports:\n  - indigo_custom_types: https://raw.githubusercontent.com/indigo-dc/tosca-types/master/custom_types.yaml\n\ntopology_template:\n  node_templates:\n    simple_node:\n      type: tosca.nodes.indigo.Compute\n";

/// A held fixture deployment with the document's defaults.
fn deployment(id: &str, second: u32, status: DeploymentStatus) -> Deployment {
    Deployment {
        id: id.into(),
        created_at: at(second),
        updated_at: at(second),
        status,
        status_reason: None,
        task: Task::None,
        physical_id: None,
        callback: Some("http://localhost".into()),
        user_group: None,
        owner: None,
        template: DOCUMENTED_TEMPLATE.into(),
        parameters: Map::new(),
        outputs: Map::new(),
        timeout_mins: None,
        provider_timeout_mins: None,
        max_providers_retry: None,
        keep_last_attempt: false,
        deployment_type: "TOSCA".into(),
        provider: Some("IM".into()),
        cloud_provider_name: None,
        cloud_provider_endpoint: None,
        log: None,
        extra_info: None,
        pending: PendingRule::default(),
        version: 0,
    }
}

fn resource(deployment_id: &str, id: &str, second: u32, name: &str, node_type: &str, state: NodeState) -> Resource {
    Resource {
        id: id.into(),
        deployment_id: deployment_id.into(),
        created_at: at(second),
        updated_at: at(second),
        physical_id: None,
        state,
        tosca_node_type: node_type.into(),
        tosca_node_name: name.into(),
        metadata: Map::new(),
    }
}

fn with_vm_info(mut r: Resource) -> Resource {
    r.physical_id = Some("0".into());
    r.metadata.insert("VirtualMachineInfo".into(), Value::String(DOCUMENTED_VM_INFO.into()));
    r
}

/// Load the document's data; returns how many deployments were loaded. Existing rows are left alone.
pub async fn load_docs(store: &OrchestratorStore) -> anyhow::Result<usize> {
    let mut deployments: Vec<(Deployment, Vec<Resource>)> = Vec::new();

    // The list of one user's beta-testers deployments (004:313).
    let mut failed = deployment("08bff301-11aa-4203-8da3-3fa00a0c0b7c", 30, DeploymentStatus::CreateFailed);
    failed.status_reason = Some("Some reason".into());
    failed.user_group = Some("beta-testers".into());
    failed.owner = owner(DOCS_SUBJECT);
    deployments.push((failed, Vec::new()));
    let mut complete = deployment("1ece901c-4280-4aee-a680-20d33bc1e2cb", 10, DeploymentStatus::CreateComplete);
    complete.user_group = Some("beta-testers".into());
    complete.owner = owner(DOCS_SUBJECT);
    deployments.push((complete, Vec::new()));

    // The deployment of the get, update, reset, delete, extrainfo and log examples (004:553-798).
    let mut documented = deployment("34483-d937-4578-bfdb-ebe196bf82dd", 0, DeploymentStatus::CreateFailed);
    documented.status_reason = Some("Some reason".into());
    documented.outputs = json!({"server_ip": "10.0.0.1"}).as_object().cloned().unwrap_or_default();
    documented.user_group = Some("beta-testers".into());
    documented.log = Some("deployment log".into());
    documented.extra_info = Some(DOCUMENTED_EXTRA_INFO.into());
    deployments.push((documented, Vec::new()));

    // The Galaxy deployment of the template example (004:811).
    let galaxy = deployment("6c30476e-46bb-4dec-a239-892755a2b5a0", 0, DeploymentStatus::CreateComplete);
    deployments.push((galaxy, Vec::new()));

    // The three resources of 004:953.
    let id = "f3a533aa-1f92-497e-a1f2-52acedbc9f77";
    let mut ports = deployment(id, 0, DeploymentStatus::CreateComplete);
    ports.template = PORTS_TEMPLATE.into();
    let resources = vec![
        resource(
            id,
            "2920f9fa-d419-40fa-b680-8727bf272803",
            30,
            "server_port1",
            "tosca.nodes.network.Port",
            NodeState::Started,
        ),
        resource(
            id,
            "08f3bb35-ad05-4a24-aedb-0bb974718d40",
            20,
            "server_port2",
            "tosca.nodes.network.Port",
            NodeState::Started,
        ),
        with_vm_info(resource(
            id,
            "7bf44446-52ae-4bba-88d1-66150ec0d000",
            10,
            "server",
            "tosca.nodes.Compute",
            NodeState::Started,
        )),
    ];
    deployments.push((ports, resources));

    // The compute resource of the typed list (004:1040), next to a port the filter leaves out.
    let id = "559a4c14-2b36-430d-99c7-f5a500b8d0b4";
    let mut typed = deployment(id, 0, DeploymentStatus::CreateComplete);
    typed.template = PORTS_TEMPLATE.into();
    let resources = vec![
        with_vm_info(resource(
            id,
            "e549e4a5-581e-40bd-a466-87b9f47d534c",
            10,
            "server",
            "tosca.nodes.Compute",
            NodeState::Started,
        )),
        resource(
            id,
            "b1c1e0a2-7f4e-4d3b-9a52-3d0f6b1a2c11",
            20,
            "server_port1",
            "tosca.nodes.network.Port",
            NodeState::Started,
        ),
    ];
    deployments.push((typed, resources));

    // The resource being created (004:1148).
    let id = "5a253525-9280-4475-8eea-61453e46ba94";
    let mut creating = deployment(id, 0, DeploymentStatus::CreateInProgress);
    creating.task = Task::Deployer;
    let node = "node_1b278b4c-cf89-42a2-96ec-ee371659aa1a";
    creating.template = format!(
        "tosca_definitions_version: tosca_simple_yaml_1_0\n\ntopology_template:\n  node_templates:\n    {node}:\n      type: tosca.nodes.Compute\n"
    );
    let mut vm =
        resource(id, "b5f60fa2-1d41-4ef4-a6cf-18851ddd4e28", 0, node, "tosca.nodes.Compute", NodeState::Creating);
    vm.physical_id = Some("1b278b4c-cf89-42a2-96ec-ee371659aa1a".into());
    deployments.push((creating, vec![vm]));

    // The virtual machine the stop example acts on (004:1190).
    let id = "11ed8ab3-6a40-968a-82b7-62f0862dbe46";
    let mut running = deployment(id, 0, DeploymentStatus::CreateComplete);
    running.owner = owner(DOCS_SUBJECT);
    running.template = SINGLE_NODE_TEMPLATE.into();
    let vm = with_vm_info(resource(
        id,
        "11ed8ab3-6b3a-5fdc-82b7-62f0862dbe46",
        0,
        "simple_node",
        "tosca.nodes.indigo.Compute",
        NodeState::Started,
    ));
    deployments.push((running, vec![vm]));

    // The deployments the two schedule events created (004:1739): no owner, no links.
    let event_deployments =
        [("3c2a9cd9-6a61-468a-9ea6-f6e8230933ce", 30), ("18ce35a2-1abc-43df-a901-60a02acc3a56", 10)];
    for (id, second) in event_deployments {
        let mut d = deployment(id, second, DeploymentStatus::CreateInProgress);
        d.provider = None;
        deployments.push((d, Vec::new()));
    }

    let mut loaded = 0;
    for (d, resources) in &deployments {
        if store.get_deployment(&d.id).await?.is_none() {
            store.insert_deployment(d, resources).await?;
            loaded += 1;
        }
    }

    let schedule = |id: &str, second: u32, status: &str, owner_subject: Option<&str>| Schedule {
        id: id.into(),
        created_at: at(second),
        updated_at: Some(at(second)),
        status: status.into(),
        replication_expression: "RSE_RECAS".into(),
        file_expression: "scope:name*".into(),
        callback: Some("http://localhost".into()),
        number_of_replicas: 1,
        owner: owner_subject.and_then(owner),
        template: DOCUMENTED_TEMPLATE.into(),
        parameters: Map::new(),
    };
    let schedules = [
        schedule("a4c235ae-4698-4aac-a09d-80227b8c4495", 30, "RUNNING", Some(SCHEDULE_OWNER)),
        schedule("36b5d266-04b6-4271-b7af-1262d8a8db61", 10, "SUSPENDED", Some(SCHEDULE_OWNER)),
        schedule("mmd34483-d937-4578-bfdb-ebe196bf82dd", 0, "RUNNING", None),
    ];
    for s in &schedules {
        if store.get_schedule(&s.id).await?.is_none() {
            store.insert_schedule(s).await?;
        }
    }

    let events = [
        ("7b7cd0c4-7d0a-4796-8e1e-38bfba2026be", 30, "3c2a9cd9-6a61-468a-9ea6-f6e8230933ce"),
        ("eaefcc31-3446-42e2-885d-29a7d6558529", 10, "18ce35a2-1abc-43df-a901-60a02acc3a56"),
    ];
    let schedule_id = "mmd34483-d937-4578-bfdb-ebe196bf82dd";
    let first_page = super::paging::PageRequest { number: 0, size: 10 };
    let (present, _) = store.list_events(schedule_id, &[], &first_page).await?;
    for (id, second, deployment_id) in events {
        if present.iter().any(|e| e.id == id) {
            continue;
        }
        let Some(deployment) = store.get_deployment(deployment_id).await? else { continue };
        let event = ScheduleEvent {
            id: id.into(),
            schedule_id: schedule_id.into(),
            created_at: at(second),
            updated_at: Some(at(second)),
            deployment,
            scope: "file-scope".into(),
            name: "file-name".into(),
            replication_status: Some("REPLICATING".into()),
        };
        store.insert_event(&event).await?;
    }
    Ok(loaded)
}
