//! TOSCA Simple YAML templates as the INDIGO PaaS Orchestrator sees them, without HTTP and without network.
//!
//! The orchestrator parses every template it is given (alien4cloud does the parsing there), checks the user's
//! inputs against it, and turns its node templates into the deployment's resources. Clients see this through
//! `POST`/`PUT /deployments` (400 messages), `GET .../resources` (one resource per node instance, `?type=`
//! filtering by type ancestry) and `outputs` once a deployment completes. This module reproduces those
//! visible effects so that the HTTP layer only has to call it:
//!
//! - [`parse_template`] reads the YAML into a [`ToscaTemplate`]; structural problems come back as
//!   [`ToscaError::Parsing`], shown as `Error parsing TOSCA template template:\n<problem per line>`.
//! - [`ToscaTemplate::instantiate`] does what deployment creation does after parsing: checks required inputs,
//!   substitutes `get_input`, refuses dependency loops and works out how many instances each node has, in the
//!   order the orchestrator creates them ([`Instantiation`]).
//! - [`ToscaTemplate::is_a`] / [`is_a`] answer the `?type=` filter: the node's own type or any ancestor.
//! - [`ToscaTemplate::completed_outputs`] computes the `outputs` map of a completed deployment, given the
//!   runtime attributes of its nodes. Before completion the orchestrator shows `{}`: outputs are evaluated only
//!   once the deployment is up, so the caller shows an empty map until then.
//!
//! Imports are never fetched (standin works offline). Instead the TOSCA Simple Profile 1.0 normative node types
//! and the INDIGO custom node types (`indigo-dc/tosca-types`, `custom_types.yaml`) are built in, and node types
//! declared in the template itself are added to them.
//!
//! Where standin departs from the real orchestrator, on purpose or because the real text is unknown:
//! - The INDIGO types are known even when the template does not import `custom_types.yaml` (the real one would
//!   fail to find them). When a template imports anything else, an unknown node type is accepted and taken to
//!   derive from `tosca.nodes.Root`, because the real orchestrator would have fetched its definition.
//! - Parsing problems are rendered in the shape of alien4cloud's `ParsingError` (`ParsingError(errorLevel=ERROR,
//!   errorCode=..., ...)`) with standin's own `problem` texts, and without YAML positions except for YAML syntax
//!   errors. Only the first line (`Error parsing TOSCA template template:`) is known to match exactly.
//! - Node properties, capabilities and input values are not checked against type definitions (alien4cloud
//!   reports unknown properties and constraint violations as `UNRECOGNIZED_PROPERTY` / `VALIDATION_ERROR`;
//!   the orchestrator itself never checks input types).
//! - A dependency loop is a 500 in the real orchestrator (an unmapped `ValidationException`); standin answers
//!   400 with the same message. A template without node templates most likely makes the real one fail with
//!   a `NullPointerException` (500, no message; not verified); standin refuses it with [`ToscaError::NoNodeTemplates`].
//! - `requiredBy` is computed (names of the requiring node templates, in document order); the real
//!   orchestrator stores it per resource but always shows `[]`, so the API layer should too.
//! - Outputs come out in declaration order (the real orchestrator uses a `HashMap`).

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;
use std::sync::LazyLock;

use serde_json::{Map, Value};

/// The type every TOSCA node type derives from.
pub const ROOT_NODE_TYPE: &str = "tosca.nodes.Root";

/// The TOSCA Simple Profile 1.0 normative node types (as in the orchestrator's
/// `tosca-normative-types-1.0.0.yaml`), each with its parent.
const NORMATIVE_NODE_TYPES: &[(&str, &str)] = &[
    ("tosca.nodes.Compute", ROOT_NODE_TYPE),
    ("tosca.nodes.SoftwareComponent", ROOT_NODE_TYPE),
    ("tosca.nodes.DBMS", "tosca.nodes.SoftwareComponent"),
    ("tosca.nodes.Database", ROOT_NODE_TYPE),
    ("tosca.nodes.WebServer", "tosca.nodes.SoftwareComponent"),
    ("tosca.nodes.WebApplication", ROOT_NODE_TYPE),
    ("tosca.nodes.BlockStorage", ROOT_NODE_TYPE),
    ("tosca.nodes.ObjectStorage", ROOT_NODE_TYPE),
    ("tosca.nodes.LoadBalancer", ROOT_NODE_TYPE),
    ("tosca.nodes.network.Network", ROOT_NODE_TYPE),
    ("tosca.nodes.network.Port", ROOT_NODE_TYPE),
    ("tosca.nodes.network.FloatingIP", ROOT_NODE_TYPE),
    ("tosca.nodes.Container.Runtime", "tosca.nodes.SoftwareComponent"),
    ("tosca.nodes.Container.Application", ROOT_NODE_TYPE),
    ("tosca.nodes.Container.Application.Docker", "tosca.nodes.Container.Application"),
];

/// The node types of the INDIGO custom types file (`indigo-dc/tosca-types`, `custom_types.yaml`), each with its
/// parent. The file also declares a few non-INDIGO specialisations of normative types, listed first.
const INDIGO_NODE_TYPES: &[(&str, &str)] = &[
    ("tosca.nodes.Database.MySQL", "tosca.nodes.Database"),
    ("tosca.nodes.DBMS.MySQL", "tosca.nodes.DBMS"),
    ("tosca.nodes.WebServer.Apache", "tosca.nodes.WebServer"),
    ("tosca.nodes.indigo.Database.MySQL", "tosca.nodes.Database.MySQL"),
    ("tosca.nodes.indigo.Compute", "tosca.nodes.Compute"),
    ("tosca.nodes.indigo.ZabbixAgent", "tosca.nodes.SoftwareComponent"),
    // Galaxy
    ("tosca.nodes.indigo.GalaxyPortal", "tosca.nodes.WebServer"),
    ("tosca.nodes.indigo.GalaxyPortalAndStorage", "tosca.nodes.indigo.GalaxyPortal"),
    ("tosca.nodes.indigo.GalaxyPortalFastConfig", "tosca.nodes.indigo.GalaxyPortalAndStorage"),
    ("tosca.nodes.indigo.GalaxyPortalDocker", "tosca.nodes.indigo.GalaxyPortalAndStorage"),
    ("tosca.nodes.indigo.GalaxyWN", "tosca.nodes.SoftwareComponent"),
    ("tosca.nodes.indigo.GalaxyWNCVMFS", "tosca.nodes.indigo.GalaxyWN"),
    ("tosca.nodes.indigo.GalaxyShedTool", "tosca.nodes.WebApplication"),
    ("tosca.nodes.indigo.GalaxyReferenceData", "tosca.nodes.WebApplication"),
    ("tosca.nodes.indigo.TeskAPI", "tosca.nodes.WebServer"),
    ("tosca.nodes.indigo.ElasticCluster", "tosca.nodes.SoftwareComponent"),
    // Batch systems: front ends and worker nodes
    ("tosca.nodes.indigo.LRMS.FrontEnd", "tosca.nodes.SoftwareComponent"),
    ("tosca.nodes.indigo.LRMS.FrontEnd.Torque", "tosca.nodes.indigo.LRMS.FrontEnd"),
    ("tosca.nodes.indigo.LRMS.FrontEnd.Slurm", "tosca.nodes.indigo.LRMS.FrontEnd"),
    ("tosca.nodes.indigo.LRMS.FrontEnd.SlurmGalaxy", "tosca.nodes.indigo.LRMS.FrontEnd.Slurm"),
    ("tosca.nodes.indigo.LRMS.FrontEnd.Local", "tosca.nodes.indigo.LRMS.FrontEnd"),
    ("tosca.nodes.indigo.LRMS.FrontEnd.Mesos", "tosca.nodes.indigo.LRMS.FrontEnd"),
    ("tosca.nodes.indigo.LRMS.FrontEnd.Kubernetes", "tosca.nodes.indigo.LRMS.FrontEnd"),
    ("tosca.nodes.indigo.MesosMaster", "tosca.nodes.indigo.LRMS.FrontEnd.Mesos"),
    ("tosca.nodes.indigo.LRMS.WorkerNode", "tosca.nodes.SoftwareComponent"),
    ("tosca.nodes.indigo.LRMS.WorkerNode.Torque", "tosca.nodes.indigo.LRMS.WorkerNode"),
    ("tosca.nodes.indigo.LRMS.WorkerNode.Slurm", "tosca.nodes.indigo.LRMS.WorkerNode"),
    ("tosca.nodes.indigo.LRMS.WorkerNode.SlurmGalaxy", "tosca.nodes.indigo.LRMS.WorkerNode.Slurm"),
    ("tosca.nodes.indigo.LRMS.WorkerNode.Mesos", "tosca.nodes.indigo.LRMS.WorkerNode"),
    ("tosca.nodes.indigo.LRMS.WorkerNode.Kubernetes", "tosca.nodes.indigo.LRMS.WorkerNode"),
    ("tosca.nodes.indigo.MesosSlave", "tosca.nodes.indigo.LRMS.WorkerNode.Mesos"),
    // Containers
    ("tosca.nodes.indigo.Container.Runtime.Docker", ROOT_NODE_TYPE),
    ("tosca.nodes.indigo.Container.Application.Docker", "tosca.nodes.Container.Application.Docker"),
    ("tosca.nodes.indigo.Container.Application.Docker.Chronos", "tosca.nodes.indigo.Container.Application.Docker"),
    ("tosca.nodes.indigo.Container.Application.Docker.Marathon", "tosca.nodes.indigo.Container.Application.Docker"),
    ("tosca.nodes.indigo.Kubernetes.HelmChart", ROOT_NODE_TYPE),
    ("tosca.nodes.indigo.Helm.Chart", "tosca.nodes.SoftwareComponent"),
    // Jobs
    ("tosca.nodes.indigo.Batch.Job", ROOT_NODE_TYPE),
    ("tosca.nodes.indigo.Qcg.Job", "tosca.nodes.indigo.Batch.Job"),
    ("tosca.nodes.indigo.Grid.Job", "tosca.nodes.indigo.Batch.Job"),
    // Storage and networking
    ("tosca.nodes.indigo.BlockStorage", "tosca.nodes.BlockStorage"),
    ("tosca.nodes.indigo.OneDataStorage", "tosca.nodes.BlockStorage"),
    ("tosca.nodes.indigo.GlusterFSVolume", "tosca.nodes.BlockStorage"),
    ("tosca.nodes.indigo.OnedataSpace", ROOT_NODE_TYPE),
    ("tosca.nodes.indigo.OnedataServiceSpace", ROOT_NODE_TYPE),
    ("tosca.nodes.indigo.Dynafed", ROOT_NODE_TYPE),
    ("tosca.nodes.indigo.network.Network", "tosca.nodes.network.Network"),
    ("tosca.nodes.indigo.network.Port", "tosca.nodes.network.Port"),
    ("tosca.nodes.indigo.VR.CentralPoint", "tosca.nodes.SoftwareComponent"),
    ("tosca.nodes.indigo.VR.Client", "tosca.nodes.SoftwareComponent"),
    ("tosca.nodes.indigo.VR.VRouter", "tosca.nodes.SoftwareComponent"),
    // Applications
    ("tosca.nodes.indigo.DariahRepository", "tosca.nodes.SoftwareComponent"),
    ("tosca.nodes.indigo.TensorflowOnMesos", "tosca.nodes.SoftwareComponent"),
    ("tosca.nodes.indigo.CmsServices", "tosca.nodes.SoftwareComponent"),
    ("tosca.nodes.indigo.CmsOneclient", "tosca.nodes.SoftwareComponent"),
    ("tosca.nodes.indigo.CmsWnConfig", "tosca.nodes.SoftwareComponent"),
    ("tosca.nodes.indigo.MesosLoadBalancer", "tosca.nodes.SoftwareComponent"),
    ("tosca.nodes.indigo.SparkMesos", "tosca.nodes.SoftwareComponent"),
    ("tosca.nodes.indigo.HadoopMaster", "tosca.nodes.SoftwareComponent"),
    ("tosca.nodes.indigo.HadoopSlave", "tosca.nodes.SoftwareComponent"),
    ("tosca.nodes.indigo.HaddockApp", "tosca.nodes.SoftwareComponent"),
    ("tosca.nodes.indigo.Disvis", "tosca.nodes.indigo.HaddockApp"),
    ("tosca.nodes.indigo.Powerfit", "tosca.nodes.indigo.HaddockApp"),
    ("tosca.nodes.indigo.Eubiosteo", "tosca.nodes.SoftwareComponent"),
    ("tosca.nodes.indigo.Ambertools", "tosca.nodes.SoftwareComponent"),
    ("tosca.nodes.indigo.Kepler", "tosca.nodes.SoftwareComponent"),
    ("tosca.nodes.indigo.OphidiaServer", "tosca.nodes.SoftwareComponent"),
    ("tosca.nodes.indigo.OphidiaIO", "tosca.nodes.SoftwareComponent"),
    ("tosca.nodes.indigo.JupyterHub", "tosca.nodes.SoftwareComponent"),
    ("tosca.nodes.indigo.DEEPaaScont", "tosca.nodes.SoftwareComponent"),
    ("tosca.nodes.indigo.Elasticsearch", "tosca.nodes.SoftwareComponent"),
    ("tosca.nodes.indigo.Kibana", "tosca.nodes.SoftwareComponent"),
];

/// `tosca_definitions_version` values standin accepts: the TOSCA Simple YAML versions and alien4cloud's own DSL
/// names. Which exact list alien4cloud 2.1 accepts is not known; anything else is `UNKNOWN_TOSCA_VERSION`.
fn is_known_definitions_version(version: &str) -> bool {
    version.starts_with("tosca_simple_yaml_1_")
        || version.starts_with("alien_dsl_")
        || version == "http://docs.oasis-open.org/tosca/ns/simple/yaml/1.0"
}

/// A node type hierarchy: each known type with its parent (`derived_from`).
///
/// In an "open" hierarchy (the template imports definitions standin does not have), unknown types are taken to
/// derive directly from [`ROOT_NODE_TYPE`].
#[derive(Debug, Clone)]
pub struct TypeHierarchy {
    parents: HashMap<String, Option<String>>,
    open: bool,
}

static BUILTIN_TYPES: LazyLock<TypeHierarchy> = LazyLock::new(|| {
    let mut parents = HashMap::new();
    parents.insert(ROOT_NODE_TYPE.to_owned(), None);
    for (name, parent) in NORMATIVE_NODE_TYPES.iter().chain(INDIGO_NODE_TYPES) {
        parents.insert((*name).to_owned(), Some((*parent).to_owned()));
    }
    TypeHierarchy { parents, open: false }
});

impl TypeHierarchy {
    /// The normative and INDIGO node types only.
    pub fn builtin() -> Self {
        BUILTIN_TYPES.clone()
    }

    /// Whether `node_type` is declared (built in or by the template).
    pub fn is_declared(&self, node_type: &str) -> bool {
        self.parents.contains_key(node_type)
    }

    /// The ancestors of `node_type`, nearest first, ending with `tosca.nodes.Root` when the chain reaches it.
    pub fn ancestors(&self, node_type: &str) -> Vec<String> {
        let mut chain = Vec::new();
        let mut current = node_type.to_owned();
        loop {
            let parent = match self.parents.get(&current) {
                Some(parent) => parent.clone(),
                None if self.open && current != ROOT_NODE_TYPE => Some(ROOT_NODE_TYPE.to_owned()),
                None => None,
            };
            // The chain of a cyclic declaration (reported at parse time) stops where it repeats.
            match parent {
                Some(parent) if parent != node_type && !chain.contains(&parent) => {
                    chain.push(parent.clone());
                    current = parent;
                }
                _ => return chain,
            }
        }
    }

    /// Whether following `derived_from` from `node_type` comes back to it.
    fn derives_from_itself(&self, node_type: &str) -> bool {
        let mut seen = HashSet::new();
        let mut current = node_type;
        while let Some(Some(parent)) = self.parents.get(current) {
            if parent == node_type {
                return true;
            }
            if !seen.insert(parent.as_str()) {
                return false;
            }
            current = parent;
        }
        false
    }

    /// The `?type=` match: `node_type` equals `wanted` or has it among its ancestors. Exact and case-sensitive.
    pub fn is_a(&self, node_type: &str, wanted: &str) -> bool {
        node_type == wanted || self.ancestors(node_type).iter().any(|ancestor| ancestor == wanted)
    }
}

/// [`TypeHierarchy::is_a`] on the built-in normative and INDIGO types (no template-declared types).
pub fn is_a(node_type: &str, wanted: &str) -> bool {
    BUILTIN_TYPES.is_a(node_type, wanted)
}

/// Which kind of provider a template needs, decided by the first node template (in document order) whose type
/// is **exactly** one of four INDIGO types. It decides which deployments refuse updates and actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeploymentType {
    /// Anything else: deployed through the Infrastructure Manager.
    Tosca,
    /// `tosca.nodes.indigo.Container.Application.Docker.Chronos`.
    Chronos,
    /// `tosca.nodes.indigo.Container.Application.Docker.Marathon`.
    Marathon,
    /// `tosca.nodes.indigo.Qcg.Job`.
    Qcg,
    /// `tosca.nodes.indigo.Kubernetes.HelmChart`.
    KubernetesHelmChart,
}

/// One problem found while parsing, shown like alien4cloud's `ParsingError` (Lombok `toString`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsingProblem {
    /// alien4cloud's error code, e.g. `INVALID_YAML`, `TYPE_NOT_FOUND`.
    pub code: &'static str,
    /// Where: usually the node template or type name.
    pub context: Option<String>,
    /// 1-based line and column, known only for YAML syntax errors.
    pub mark: Option<(usize, usize)>,
    /// What is wrong.
    pub problem: Option<String>,
    /// The offending value, e.g. the unknown type.
    pub note: Option<String>,
}

impl ParsingProblem {
    fn new(code: &'static str, context: Option<&str>, problem: impl Into<String>, note: Option<&str>) -> Self {
        ParsingProblem {
            code,
            context: context.map(str::to_owned),
            mark: None,
            problem: Some(problem.into()),
            note: note.map(str::to_owned),
        }
    }
}

impl fmt::Display for ParsingProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn or_null(value: &Option<String>) -> &str {
            value.as_deref().unwrap_or("null")
        }
        let mark = match self.mark {
            Some((line, column)) => format!("SimpleMark(line={line}, column={column})"),
            None => "null".to_owned(),
        };
        write!(
            f,
            "ParsingError(errorLevel=ERROR, errorCode={}, context={}, startMark={mark}, problem={}, endMark=null, note={})",
            self.code,
            or_null(&self.context),
            or_null(&self.problem),
            or_null(&self.note)
        )
    }
}

/// Why a template (with its inputs) cannot be deployed. `Display` is the orchestrator's message; every variant
/// is a 400 in standin.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ToscaError {
    /// alien4cloud found errors; the orchestrator lists them one per line after the file path, which is
    /// literally the word `template`.
    #[error("Error parsing TOSCA template template:\n{}", join_lines(.0))]
    Parsing(Vec<ParsingProblem>),
    /// The template has no `topology_template.node_templates`. The real orchestrator most likely fails with a
    /// NullPointerException (500, no message); this message is standin's.
    #[error("The TOSCA template has no topology_template with node_templates")]
    NoNodeTemplates,
    /// A required input (TOSCA's default) has neither a user value nor a default.
    #[error("Input <{name}> is required and is not present in the user's input list, nor has a default value")]
    RequiredInputMissing {
        /// The input's name.
        name: String,
    },
    /// A TOSCA function could not be evaluated, e.g. `get_input` of a non-required input without a value.
    #[error("Failed to evaluate {path}[{function}][{parameters}]: {reason}")]
    FunctionFailed {
        /// Where the function is, e.g. `node_templates[a][capabilities][host][properties][num_cpus]`.
        path: String,
        /// The function's name, e.g. `get_input`.
        function: String,
        /// Its parameters, joined by `, `.
        parameters: String,
        /// What went wrong.
        reason: String,
    },
    /// `capabilities.scalable.properties.count` is not an integer.
    #[error("Error parsing scalar value <{value}> as <integer>")]
    InvalidCount {
        /// The value as text.
        value: String,
    },
    /// The requirements form a cycle. A 500 in the real orchestrator (an unmapped `ValidationException`, note
    /// the typo "depencency"); standin answers 400 with the same message. Nodes are in document order.
    #[error("Found node depencency loop in TOSCA topology; involved nodes: [{}]", .nodes.join(", "))]
    DependencyLoop {
        /// The node templates on a cycle.
        nodes: Vec<String>,
    },
}

fn join_lines(problems: &[ParsingProblem]) -> String {
    problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
}

/// A declared template input.
#[derive(Debug, Clone, PartialEq)]
pub struct InputDefinition {
    /// The input's name.
    pub name: String,
    /// Its declared TOSCA type (`string`, `integer`, ...). Never checked, as in the orchestrator.
    pub input_type: Option<String>,
    /// Its default value, if any.
    pub default: Option<Value>,
    /// Whether a value is needed; TOSCA's default is `true`.
    pub required: bool,
}

/// One `requirements` entry of a node template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// The requirement's name, e.g. `host`.
    pub name: String,
    /// The node template it points at; `None` for an abstract requirement (capability or type only).
    pub target: Option<String>,
}

/// A node template.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeTemplate {
    /// The node template's name (the key under `node_templates`).
    pub name: String,
    /// Its declared type, as written.
    pub node_type: String,
    /// Its requirements, in order.
    pub requirements: Vec<Requirement>,
    /// The whole node template as JSON (properties, capabilities, ...).
    pub body: Map<String, Value>,
}

/// A declared template output.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputDefinition {
    /// The output's name.
    pub name: String,
    /// Its `value` expression; an output without one never appears.
    pub value: Option<Value>,
}

/// A parsed TOSCA template.
#[derive(Debug, Clone)]
pub struct ToscaTemplate {
    /// `tosca_definitions_version`.
    pub definitions_version: String,
    /// `description`, if a string.
    pub description: Option<String>,
    /// Imported files or URLs, never fetched.
    pub imports: Vec<String>,
    /// `repositories`: name and URL.
    pub repositories: Vec<(String, String)>,
    /// Declared inputs, in declaration order.
    pub inputs: Vec<InputDefinition>,
    /// Node templates, in document order.
    pub node_templates: Vec<NodeTemplate>,
    /// Declared outputs, in declaration order.
    pub outputs: Vec<OutputDefinition>,
    policies: Vec<(String, Value)>,
    types: TypeHierarchy,
}

/// A node template's instances, as deployment creation plans them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeInstances {
    /// The node template's name (`toscaNodeName`).
    pub name: String,
    /// Its declared type (`toscaNodeType`).
    pub node_type: String,
    /// `capabilities.scalable.properties.count` after input substitution; 1 when absent, 0 when negative.
    pub count: u64,
    /// `capabilities.scalable.properties.removal_list`: resource ids to remove on update.
    pub removal_list: Vec<String>,
    /// Node templates this one requires, in requirement order, without repeats.
    pub requires: Vec<String>,
    /// Node templates whose requirements point at this one, in document order, without repeats.
    pub required_by: Vec<String>,
}

/// One resource to create: an instance of a node template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedResource {
    /// `toscaNodeName`.
    pub tosca_node_name: String,
    /// `toscaNodeType`.
    pub tosca_node_type: String,
    /// Names of the node templates requiring this one (the API shows `[]`, like the orchestrator).
    pub required_by: Vec<String>,
}

/// What deployment creation derives from a template and the user's parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Instantiation {
    /// The value of each declared input that has one: the user's, else the default.
    pub input_values: Map<String, Value>,
    /// Every node template, in creation order: the topological order of the requirement graph (required nodes
    /// first), ties broken first-come-first-served in the order nodes are first mentioned (a node, then the
    /// targets of its requirements, going through the templates in document order).
    pub nodes: Vec<NodeInstances>,
}

impl Instantiation {
    /// One resource per node instance, in creation order.
    pub fn resources(&self) -> Vec<PlannedResource> {
        self.nodes
            .iter()
            .flat_map(|node| {
                (0..node.count).map(|_| PlannedResource {
                    tosca_node_name: node.name.clone(),
                    tosca_node_type: node.node_type.clone(),
                    required_by: node.required_by.clone(),
                })
            })
            .collect()
    }
}

/// Parses a template, collecting every structural problem.
pub fn parse_template(text: &str) -> Result<ToscaTemplate, ToscaError> {
    let yaml: serde_norway::Value = serde_norway::from_str(text).map_err(|error| {
        ToscaError::Parsing(vec![ParsingProblem {
            code: "INVALID_YAML",
            context: None,
            mark: error.location().map(|location| (location.line(), location.column())),
            problem: Some(error.to_string()),
            note: None,
        }])
    })?;
    let Value::Object(root) = yaml_to_json(yaml) else {
        return Err(ToscaError::Parsing(vec![ParsingProblem::new(
            "YAML_MAPPING_NODE_EXPECTED",
            None,
            "A TOSCA template must be a YAML mapping",
            None,
        )]));
    };
    TemplateReader::default().read(&root)
}

/// Parsing state: the problems found so far.
#[derive(Default)]
struct TemplateReader {
    problems: Vec<ParsingProblem>,
}

impl TemplateReader {
    fn syntax(&mut self, context: &str, problem: impl Into<String>) {
        self.problems.push(ParsingProblem::new("SYNTAX_ERROR", Some(context), problem, None));
    }

    /// A mapping-valued section; anything else (but absence or null) is a problem.
    fn mapping<'v>(&mut self, parent: &'v Map<String, Value>, key: &str) -> Option<&'v Map<String, Value>> {
        match parent.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Object(map)) => Some(map),
            Some(_) => {
                self.syntax(key, format!("{key} must be a mapping"));
                None
            }
        }
    }

    fn read(mut self, root: &Map<String, Value>) -> Result<ToscaTemplate, ToscaError> {
        let definitions_version = match root.get("tosca_definitions_version") {
            Some(Value::String(version)) => {
                if !is_known_definitions_version(version) {
                    self.problems.push(ParsingProblem::new(
                        "UNKNOWN_TOSCA_VERSION",
                        Some("tosca_definitions_version"),
                        "Unknown TOSCA definitions version",
                        Some(version),
                    ));
                }
                version.clone()
            }
            _ => {
                self.problems.push(ParsingProblem::new(
                    "MISSING_TOSCA_VERSION",
                    None,
                    "tosca_definitions_version is missing",
                    None,
                ));
                String::new()
            }
        };
        let description = root.get("description").and_then(Value::as_str).map(str::to_owned);
        let repositories = self.read_repositories(root);
        let imports = self.read_imports(root, &repositories);
        let open = imports.iter().any(|import| !is_builtin_import(import));
        let types = self.read_node_types(root, open);

        let topology = self.mapping(root, "topology_template");
        let empty = Map::new();
        let topology = topology.unwrap_or(&empty);
        let inputs = self.read_inputs(topology);
        let node_templates = self.read_node_templates(topology, &types);
        let outputs = self.read_outputs(topology);
        let policies = self.read_policies(topology);
        self.check_get_input_targets(&node_templates, &inputs);

        if !self.problems.is_empty() {
            return Err(ToscaError::Parsing(self.problems));
        }
        if node_templates.is_empty() {
            return Err(ToscaError::NoNodeTemplates);
        }
        Ok(ToscaTemplate {
            definitions_version,
            description,
            imports,
            repositories,
            inputs,
            node_templates,
            outputs,
            policies,
            types,
        })
    }

    fn read_repositories(&mut self, root: &Map<String, Value>) -> Vec<(String, String)> {
        let Some(repositories) = self.mapping(root, "repositories") else { return Vec::new() };
        repositories
            .iter()
            .map(|(name, definition)| {
                let url = match definition {
                    Value::String(url) => url.clone(),
                    Value::Object(fields) => fields.get("url").and_then(Value::as_str).unwrap_or_default().to_owned(),
                    _ => String::new(),
                };
                (name.clone(), url)
            })
            .collect()
    }

    /// Import entries: `- url`, `- name: url` or `- name: {file, repository}` (the file is resolved against
    /// the repository's URL when known).
    fn read_imports(&mut self, root: &Map<String, Value>, repositories: &[(String, String)]) -> Vec<String> {
        let items = match root.get("imports") {
            None | Some(Value::Null) => return Vec::new(),
            Some(Value::Array(items)) => items,
            Some(_) => {
                self.syntax("imports", "imports must be a list");
                return Vec::new();
            }
        };
        let mut imports = Vec::new();
        for item in items {
            let definition = match item {
                Value::Object(named) if named.len() == 1 => named.values().next().unwrap_or(&Value::Null),
                other => other,
            };
            match definition {
                Value::String(location) => imports.push(location.clone()),
                Value::Object(fields) => match fields.get("file").and_then(Value::as_str) {
                    Some(file) => {
                        let repository = fields.get("repository").and_then(Value::as_str);
                        let base = repositories.iter().find(|(name, _)| Some(name.as_str()) == repository);
                        imports.push(match base {
                            Some((_, url)) => format!("{url}{file}"),
                            None => file.to_owned(),
                        });
                    }
                    None => self.syntax("imports", "an import needs a file"),
                },
                _ => self.syntax("imports", "an import must be a string or a mapping"),
            }
        }
        imports
    }

    /// The built-in types plus the template's own `node_types`.
    fn read_node_types(&mut self, root: &Map<String, Value>, open: bool) -> TypeHierarchy {
        let mut types = TypeHierarchy::builtin();
        types.open = open;
        let Some(declared) = self.mapping(root, "node_types") else { return types };
        for (name, definition) in declared {
            let parent = definition.get("derived_from").and_then(Value::as_str).map(str::to_owned);
            types.parents.insert(name.clone(), parent);
        }
        for (name, definition) in declared {
            let Some(parent) = definition.get("derived_from").and_then(Value::as_str) else { continue };
            if !types.is_declared(parent) && !open {
                self.problems.push(ParsingProblem::new(
                    "TYPE_NOT_FOUND",
                    Some(name),
                    "derived_from type not found among the template's, the normative or the INDIGO types",
                    Some(parent),
                ));
            } else if types.derives_from_itself(name) {
                self.problems.push(ParsingProblem::new(
                    "CYCLIC_DERIVED_FROM",
                    Some(name),
                    "The type derives from a type that derives from it",
                    Some(parent),
                ));
            }
        }
        types
    }

    fn read_inputs(&mut self, topology: &Map<String, Value>) -> Vec<InputDefinition> {
        let Some(inputs) = self.mapping(topology, "inputs") else { return Vec::new() };
        let mut definitions = Vec::new();
        for (name, definition) in inputs {
            let Value::Object(fields) = definition else {
                self.syntax(name, "an input definition must be a mapping");
                continue;
            };
            let required = match fields.get("required") {
                None | Some(Value::Null) => true,
                Some(Value::Bool(required)) => *required,
                Some(_) => {
                    self.syntax(name, "required must be a boolean");
                    true
                }
            };
            definitions.push(InputDefinition {
                name: name.clone(),
                input_type: fields.get("type").and_then(Value::as_str).map(str::to_owned),
                default: fields.get("default").filter(|value| !value.is_null()).cloned(),
                required,
            });
        }
        definitions
    }

    fn read_node_templates(&mut self, topology: &Map<String, Value>, types: &TypeHierarchy) -> Vec<NodeTemplate> {
        let Some(nodes) = self.mapping(topology, "node_templates") else { return Vec::new() };
        let mut templates = Vec::new();
        for (name, definition) in nodes {
            let Value::Object(body) = definition else {
                self.syntax(name, "a node template must be a mapping");
                continue;
            };
            let Some(node_type) = body.get("type").and_then(Value::as_str) else {
                self.syntax(name, "a node template needs a type");
                continue;
            };
            if !types.is_declared(node_type) && !types.open {
                self.problems.push(ParsingProblem::new(
                    "TYPE_NOT_FOUND",
                    Some(name),
                    "Node type not found among the template's, the normative or the INDIGO types",
                    Some(node_type),
                ));
            }
            let requirements = self.read_requirements(name, body, nodes);
            templates.push(NodeTemplate {
                name: name.clone(),
                node_type: node_type.to_owned(),
                requirements,
                body: body.clone(),
            });
        }
        templates
    }

    /// Requirements: a list of one-key mappings, `- host: node` or `- host: {node: ..., relationship: ...}`.
    fn read_requirements(
        &mut self,
        node: &str,
        body: &Map<String, Value>,
        nodes: &Map<String, Value>,
    ) -> Vec<Requirement> {
        let items = match body.get("requirements") {
            None | Some(Value::Null) => return Vec::new(),
            Some(Value::Array(items)) => items,
            Some(_) => {
                self.syntax(node, "requirements must be a list");
                return Vec::new();
            }
        };
        let mut requirements = Vec::new();
        for item in items {
            let Some((name, definition)) =
                item.as_object().filter(|entry| entry.len() == 1).and_then(|e| e.iter().next())
            else {
                self.syntax(node, "a requirement must be a mapping with one key");
                continue;
            };
            let target = match definition {
                Value::String(target) => Some(target.clone()),
                Value::Object(fields) => fields.get("node").and_then(Value::as_str).map(str::to_owned),
                _ => None,
            };
            if let Some(target) = &target
                && !nodes.contains_key(target)
            {
                self.problems.push(ParsingProblem::new(
                    "REQUIREMENT_TARGET_NOT_FOUND",
                    Some(node),
                    format!("The requirement {name} points at a node template that does not exist"),
                    Some(target),
                ));
            }
            requirements.push(Requirement { name: name.clone(), target });
        }
        requirements
    }

    fn read_outputs(&mut self, topology: &Map<String, Value>) -> Vec<OutputDefinition> {
        let Some(outputs) = self.mapping(topology, "outputs") else { return Vec::new() };
        outputs
            .iter()
            .map(|(name, definition)| OutputDefinition {
                name: name.clone(),
                value: definition.get("value").filter(|value| !value.is_null()).cloned(),
            })
            .collect()
    }

    /// Policies as (name, properties): TOSCA lists of one-key mappings, or a mapping.
    fn read_policies(&mut self, topology: &Map<String, Value>) -> Vec<(String, Value)> {
        let entries: Vec<(&String, &Value)> = match topology.get("policies") {
            Some(Value::Array(items)) => {
                items.iter().filter_map(Value::as_object).flat_map(|entry| entry.iter()).collect()
            }
            Some(Value::Object(entries)) => entries.iter().collect(),
            _ => Vec::new(),
        };
        entries
            .into_iter()
            .map(|(name, policy)| (name.clone(), policy.get("properties").cloned().unwrap_or(Value::Null)))
            .collect()
    }

    /// alien4cloud refuses a node property that is `get_input` of an undeclared input (`MISSING_TOPOLOGY_INPUT`,
    /// context = node, problem = input, note = property). Elsewhere, the evaluation reports it instead.
    fn check_get_input_targets(&mut self, nodes: &[NodeTemplate], inputs: &[InputDefinition]) {
        for node in nodes {
            let Some(Value::Object(properties)) = node.body.get("properties") else { continue };
            for (property, value) in properties {
                let Some(("get_input", arguments)) = as_function(value) else { continue };
                let input = function_parameters(arguments).first().map(parameter_text).unwrap_or_default();
                if !inputs.iter().any(|definition| definition.name == input) {
                    self.problems.push(ParsingProblem::new(
                        "MISSING_TOPOLOGY_INPUT",
                        Some(&node.name),
                        input,
                        Some(property),
                    ));
                }
            }
        }
    }
}

/// Whether an import is one of the definitions standin has built in.
fn is_builtin_import(import: &str) -> bool {
    import.ends_with("custom_types.yaml") || import.contains("normative")
}

impl ToscaTemplate {
    /// The template's type hierarchy: built-in types plus its own `node_types`.
    pub fn types(&self) -> &TypeHierarchy {
        &self.types
    }

    /// [`TypeHierarchy::is_a`] with the template's own types.
    pub fn is_a(&self, node_type: &str, wanted: &str) -> bool {
        self.types.is_a(node_type, wanted)
    }

    /// Names of the node templates whose type is `wanted` or derives from it: the `?type=` filter keeps the
    /// resources of these nodes.
    pub fn node_names_of_type(&self, wanted: &str) -> Vec<&str> {
        self.node_templates
            .iter()
            .filter(|node| self.is_a(&node.node_type, wanted))
            .map(|node| node.name.as_str())
            .collect()
    }

    /// See [`DeploymentType`]: exact type match, first matching node in document order.
    pub fn deployment_type(&self) -> DeploymentType {
        self.node_templates
            .iter()
            .find_map(|node| match node.node_type.as_str() {
                "tosca.nodes.indigo.Container.Application.Docker.Chronos" => Some(DeploymentType::Chronos),
                "tosca.nodes.indigo.Container.Application.Docker.Marathon" => Some(DeploymentType::Marathon),
                "tosca.nodes.indigo.Qcg.Job" => Some(DeploymentType::Qcg),
                "tosca.nodes.indigo.Kubernetes.HelmChart" => Some(DeploymentType::KubernetesHelmChart),
                _ => None,
            })
            .unwrap_or(DeploymentType::Tosca)
    }

    /// The first required input (in declaration order) with neither a user value nor a default. A user value of
    /// `null` counts as given-but-empty and does not fall back to the default, as in the orchestrator.
    pub fn check_required_inputs(&self, parameters: &Map<String, Value>) -> Result<(), ToscaError> {
        match self.inputs.iter().find(|input| input.required && input_value(input, parameters).is_none()) {
            Some(input) => Err(ToscaError::RequiredInputMissing { name: input.name.clone() }),
            None => Ok(()),
        }
    }

    /// Everything deployment creation (and update) checks and derives after parsing, in the orchestrator's
    /// order: required inputs, `get_input` substitution (policies, then each node's properties, requirement
    /// relationship properties, capabilities, artifacts, interface inputs), dependency loops, instance counts.
    pub fn instantiate(&self, parameters: &Map<String, Value>) -> Result<Instantiation, ToscaError> {
        self.check_required_inputs(parameters)?;
        let nodes = self.substitute_inputs(parameters)?;
        let order = self.creation_order()?;
        let mut planned = Vec::with_capacity(order.len());
        for index in order {
            let node = &nodes[index];
            let scalable = node
                .body
                .get("capabilities")
                .and_then(|capabilities| capabilities.get("scalable"))
                .and_then(|scalable| scalable.get("properties"));
            let count = instance_count(scalable.and_then(|properties| properties.get("count")))?;
            let removal_list = scalable
                .and_then(|properties| properties.get("removal_list"))
                .and_then(Value::as_array)
                .map(|ids| ids.iter().map(parameter_text).collect())
                .unwrap_or_default();
            let mut requires: Vec<String> = Vec::new();
            for target in node.requirements.iter().filter_map(|requirement| requirement.target.as_ref()) {
                if !requires.contains(target) {
                    requires.push(target.clone());
                }
            }
            let required_by = self
                .node_templates
                .iter()
                .filter(|other| other.requirements.iter().any(|r| r.target.as_deref() == Some(&node.name)))
                .map(|other| other.name.clone())
                .collect();
            planned.push(NodeInstances {
                name: node.name.clone(),
                node_type: node.node_type.clone(),
                count,
                removal_list,
                requires,
                required_by,
            });
        }
        let input_values = self
            .inputs
            .iter()
            .filter_map(|input| input_value(input, parameters).map(|value| (input.name.clone(), value.clone())))
            .collect();
        Ok(Instantiation { input_values, nodes: planned })
    }

    /// The `outputs` map of a completed deployment: each output's `value` with `get_input`, `get_attribute`
    /// (from `attributes(node, attribute)`, further parameters indexing into the value), `get_property`,
    /// `concat` and `token` evaluated. As in the orchestrator, an output that fails to evaluate gets the error
    /// message as its value (e.g. `Failed to evaluate outputs[url][value][get_attribute][server, public_address]:
    /// Value not found`), and an output whose value evaluates to nothing (null, or `get_property` of an unknown
    /// node) is left out. Before completion the orchestrator shows `{}` instead; callers decide when to use this.
    pub fn completed_outputs(
        &self,
        parameters: &Map<String, Value>,
        mut attributes: impl FnMut(&str, &str) -> Option<Value>,
    ) -> Map<String, Value> {
        let nodes = self.substitute_inputs(parameters).unwrap_or_else(|_| self.node_templates.clone());
        let mut evaluator = Evaluator {
            inputs: &self.inputs,
            parameters,
            runtime: Some(Runtime { nodes: &nodes, attributes: &mut attributes, active: Vec::new() }),
        };
        let mut outputs = Map::new();
        for output in &self.outputs {
            let Some(value) = &output.value else { continue };
            match evaluator.evaluate(value, &format!("outputs[{}][value]", output.name)) {
                Ok(Some(value)) => {
                    outputs.insert(output.name.clone(), value);
                }
                Ok(None) => {}
                Err(error) => {
                    outputs.insert(output.name.clone(), Value::String(error.to_string()));
                }
            }
        }
        outputs
    }

    /// The node templates with every `get_input` replaced by its value (other functions are left as they are).
    fn substitute_inputs(&self, parameters: &Map<String, Value>) -> Result<Vec<NodeTemplate>, ToscaError> {
        let mut evaluator = Evaluator { inputs: &self.inputs, parameters, runtime: None };
        for (name, properties) in &self.policies {
            if let Value::Object(properties) = properties {
                evaluator.evaluate_entries(properties, &format!("policies[{name}][properties]"))?;
            }
        }
        self.node_templates.iter().map(|node| evaluator.substitute_node(node)).collect()
    }

    /// Indices of the node templates in creation order, or the dependency loop.
    ///
    /// The graph mirrors the orchestrator's: vertices in the order first mentioned (each node, then its
    /// requirement targets), one edge per requirement from the required node to the requiring one; Kahn's
    /// algorithm with a first-in-first-out queue.
    fn creation_order(&self) -> Result<Vec<usize>, ToscaError> {
        let index_of: HashMap<&str, usize> =
            self.node_templates.iter().enumerate().map(|(index, node)| (node.name.as_str(), index)).collect();
        let mut vertices: Vec<usize> = Vec::new();
        let mut edges: Vec<(usize, usize)> = Vec::new();
        for (index, node) in self.node_templates.iter().enumerate() {
            if !vertices.contains(&index) {
                vertices.push(index);
            }
            for target in node.requirements.iter().filter_map(|requirement| requirement.target.as_deref()) {
                let Some(&target) = index_of.get(target) else { continue };
                if !vertices.contains(&target) {
                    vertices.push(target);
                }
                edges.push((target, index));
            }
        }

        let on_cycle: Vec<String> = (0..self.node_templates.len())
            .filter(|&start| reaches(&edges, start, start))
            .map(|index| self.node_templates[index].name.clone())
            .collect();
        if !on_cycle.is_empty() {
            return Err(ToscaError::DependencyLoop { nodes: on_cycle });
        }

        let mut in_degree = vec![0usize; self.node_templates.len()];
        for &(_, to) in &edges {
            in_degree[to] += 1;
        }
        let mut queue: VecDeque<usize> = vertices.iter().copied().filter(|&vertex| in_degree[vertex] == 0).collect();
        let mut order = Vec::with_capacity(vertices.len());
        while let Some(vertex) = queue.pop_front() {
            order.push(vertex);
            for &(_, to) in edges.iter().filter(|(from, _)| *from == vertex) {
                in_degree[to] -= 1;
                if in_degree[to] == 0 {
                    queue.push_back(to);
                }
            }
        }
        Ok(order)
    }
}

/// Whether `goal` can be reached from `start` through at least one edge.
fn reaches(edges: &[(usize, usize)], start: usize, goal: usize) -> bool {
    let mut seen = HashSet::new();
    let mut stack: Vec<usize> = edges.iter().filter(|(from, _)| *from == start).map(|(_, to)| *to).collect();
    while let Some(vertex) = stack.pop() {
        if vertex == goal {
            return true;
        }
        if seen.insert(vertex) {
            stack.extend(edges.iter().filter(|(from, _)| *from == vertex).map(|(_, to)| *to));
        }
    }
    false
}

/// The value an input gets: the user's (even `null`, which then counts as missing), else its default.
fn input_value<'a>(input: &'a InputDefinition, parameters: &'a Map<String, Value>) -> Option<&'a Value> {
    match parameters.get(&input.name) {
        Some(value) => Some(value).filter(|value| !value.is_null()),
        None => input.default.as_ref(),
    }
}

/// The instance count from `scalable.properties.count`: absent or not a scalar (an unevaluated function, a
/// list) means 1; an integer or integer text is used as is, negative meaning none; anything else is refused.
fn instance_count(count: Option<&Value>) -> Result<u64, ToscaError> {
    let text = match count {
        None | Some(Value::Null | Value::Array(_) | Value::Object(_)) => return Ok(1),
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    };
    match text.parse::<i64>() {
        Ok(count) => Ok(u64::try_from(count).unwrap_or(0)),
        Err(_) => Err(ToscaError::InvalidCount { value: text }),
    }
}

/// TOSCA functions: a mapping with a single key naming one of these.
const FUNCTIONS: &[&str] = &[
    "get_input",
    "get_property",
    "get_attribute",
    "get_operation_output",
    "get_nodes_of_type",
    "get_artifact",
    "concat",
    "token",
];

/// A TOSCA function call: its name and its raw arguments.
fn as_function(value: &Value) -> Option<(&str, &Value)> {
    let map = value.as_object().filter(|map| map.len() == 1)?;
    let (name, arguments) = map.iter().next()?;
    FUNCTIONS.contains(&name.as_str()).then_some((name.as_str(), arguments))
}

/// A function's parameters: its argument list, or its single argument.
fn function_parameters(arguments: &Value) -> Vec<Value> {
    match arguments {
        Value::Array(items) => items.clone(),
        other => vec![other.clone()],
    }
}

/// A parameter or scalar as the orchestrator prints it: strings bare, everything else as JSON.
fn parameter_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Runtime information for output evaluation.
struct Runtime<'a> {
    nodes: &'a [NodeTemplate],
    attributes: &'a mut dyn FnMut(&str, &str) -> Option<Value>,
    /// `get_property` lookups under way, to refuse circular references.
    active: Vec<String>,
}

/// Evaluates TOSCA functions the way the orchestrator does: `get_input` always; `concat` and `token` once their
/// parameters are plain values; `get_attribute` and `get_property` only with runtime information (outputs);
/// any other function is left as it is. A null value, or an entry evaluating to nothing, is dropped.
struct Evaluator<'a> {
    inputs: &'a [InputDefinition],
    parameters: &'a Map<String, Value>,
    runtime: Option<Runtime<'a>>,
}

impl Evaluator<'_> {
    fn evaluate(&mut self, value: &Value, path: &str) -> Result<Option<Value>, ToscaError> {
        if let Some((function, arguments)) = as_function(value) {
            return self.evaluate_function(function, arguments, value, path);
        }
        match value {
            Value::Null => Ok(None),
            Value::Object(entries) => Ok(Some(Value::Object(self.evaluate_entries(entries, path)?))),
            Value::Array(items) => {
                let mut evaluated = Vec::with_capacity(items.len());
                for (index, item) in items.iter().enumerate() {
                    evaluated.extend(self.evaluate(item, &format!("{path}[{index}]"))?);
                }
                Ok(Some(Value::Array(evaluated)))
            }
            scalar => Ok(Some(scalar.clone())),
        }
    }

    fn evaluate_entries(&mut self, entries: &Map<String, Value>, path: &str) -> Result<Map<String, Value>, ToscaError> {
        let mut evaluated = Map::new();
        for (key, value) in entries {
            if let Some(value) = self.evaluate(value, &format!("{path}[{key}]"))? {
                evaluated.insert(key.clone(), value);
            }
        }
        Ok(evaluated)
    }

    /// Evaluates the mapping under `body[key]` (if it is one) in place.
    fn substitute_entries(&mut self, body: &mut Map<String, Value>, key: &str, path: &str) -> Result<(), ToscaError> {
        if let Some(Value::Object(entries)) = body.get(key) {
            let evaluated = self.evaluate_entries(&entries.clone(), path)?;
            body.insert(key.to_owned(), Value::Object(evaluated));
        }
        Ok(())
    }

    /// A node template with its `get_input`s replaced, visiting parts in the orchestrator's order.
    fn substitute_node(&mut self, node: &NodeTemplate) -> Result<NodeTemplate, ToscaError> {
        let name = &node.name;
        let mut body = node.body.clone();
        self.substitute_entries(&mut body, "properties", &format!("node_templates[{name}][properties]"))?;

        if let Some(Value::Array(requirements)) = body.get_mut("requirements") {
            let mut requirements = std::mem::take(requirements);
            for requirement in requirements.iter_mut().filter_map(Value::as_object_mut) {
                for (requirement_name, definition) in requirement.iter_mut() {
                    let Some(Value::Object(relationship)) = definition.get_mut("relationship") else { continue };
                    // The real path names the relationship template alien4cloud generates; standin uses the
                    // requirement's name for both.
                    let path = format!(
                        "node_templates[{name}][requirements][{requirement_name}][relationship][{requirement_name}][properties]"
                    );
                    self.substitute_entries(relationship, "properties", &path)?;
                }
            }
            body.insert("requirements".to_owned(), Value::Array(requirements));
        }

        if let Some(Value::Object(capabilities)) = body.get_mut("capabilities") {
            for (capability, definition) in capabilities.iter_mut() {
                let Value::Object(definition) = definition else { continue };
                let path = format!("node_templates[{name}][capabilities][{capability}][properties]");
                self.substitute_entries(definition, "properties", &path)?;
            }
        }

        if let Some(Value::Object(artifacts)) = body.get_mut("artifacts") {
            for (artifact, definition) in artifacts.iter_mut() {
                let Value::Object(definition) = definition else { continue };
                let Some(file) = definition.get("file").and_then(get_input_in_artifact) else { continue };
                let path = format!("node_templates[{name}][artifacts][{artifact}][file]");
                if let Some(value) = self.evaluate(&file, &path)? {
                    definition.insert("file".to_owned(), Value::String(parameter_text(&value)));
                }
            }
        }

        if let Some(Value::Object(interfaces)) = body.get_mut("interfaces") {
            for (interface, operations) in interfaces.iter_mut() {
                let Value::Object(operations) = operations else { continue };
                for (operation, definition) in operations.iter_mut() {
                    let Value::Object(definition) = definition else { continue };
                    let path = format!("node_templates[{name}][interfaces][{interface}][inputs][{operation}]");
                    self.substitute_entries(definition, "inputs", &path)?;
                }
            }
        }
        Ok(NodeTemplate { body, ..node.clone() })
    }

    fn evaluate_function(
        &mut self,
        function: &str,
        arguments: &Value,
        original: &Value,
        path: &str,
    ) -> Result<Option<Value>, ToscaError> {
        let parameters = function_parameters(arguments);
        let failed = |reason: String| ToscaError::FunctionFailed {
            path: path.to_owned(),
            function: function.to_owned(),
            parameters: parameters.iter().map(parameter_text).collect::<Vec<_>>().join(", "),
            reason,
        };
        match function {
            "get_input" => {
                let name = parameters.first().map(parameter_text).unwrap_or_default();
                let Some(input) = self.inputs.iter().find(|input| input.name == name) else {
                    return Err(failed(format!("No input with name <{name}> defined in the template")));
                };
                match input_value(input, self.parameters) {
                    Some(value) => Ok(Some(value.clone())),
                    None => Err(failed(format!(
                        "No input provided for <{name}> and no default value provided in the definition"
                    ))),
                }
            }
            "concat" => {
                let concat_path = format!("{path}[concat]");
                let mut evaluated = Vec::with_capacity(parameters.len());
                for (index, parameter) in parameters.iter().enumerate() {
                    evaluated.extend(self.evaluate(parameter, &format!("{concat_path}[{index}]"))?);
                }
                if evaluated.iter().all(is_scalar) {
                    Ok(Some(Value::String(evaluated.iter().map(parameter_text).collect())))
                } else {
                    Ok(Some(serde_json::json!({ "concat": evaluated })))
                }
            }
            "token" => {
                let (Some(text), Some(Value::String(separator)), Some(index)) =
                    (parameters.first(), parameters.get(1), parameters.get(2))
                else {
                    return Ok(Some(original.clone()));
                };
                let text = self.evaluate(text, &format!("{path}[token][0]"))?;
                let index = parameter_text(index).parse::<usize>().ok();
                match (text, index) {
                    (Some(Value::String(text)), Some(index)) => match java_split(&text, separator).get(index) {
                        Some(part) => Ok(Some(Value::String((*part).to_owned()))),
                        None => Ok(Some(original.clone())),
                    },
                    _ => Ok(Some(original.clone())),
                }
            }
            "get_attribute" if self.runtime.is_some() => {
                let (Some(node), Some(attribute)) = (parameters.first(), parameters.get(1)) else {
                    return Err(failed("Value not found".to_owned()));
                };
                let runtime = self.runtime.as_mut().expect("checked above");
                let value = (runtime.attributes)(&parameter_text(node), &parameter_text(attribute));
                let value =
                    parameters[2..].iter().fold(value, |value, key| value.and_then(|value| descend(&value, key)));
                value.map(Some).ok_or_else(|| failed("Value not found".to_owned()))
            }
            "get_property" if self.runtime.is_some() => self.get_property(&parameters, path, &failed),
            _ => Ok(Some(original.clone())),
        }
    }

    /// `get_property: [node, property, keys...]` or `[node, capability-or-requirement, property, keys...]`.
    /// An unknown node yields nothing (the output is left out), as in the orchestrator.
    fn get_property(
        &mut self,
        parameters: &[Value],
        path: &str,
        failed: &dyn Fn(String) -> ToscaError,
    ) -> Result<Option<Value>, ToscaError> {
        let runtime = self.runtime.as_ref().expect("get_property is only evaluated with runtime information");
        let names: Vec<String> = parameters.iter().map(parameter_text).collect();
        let Some(node) = names.first().and_then(|name| runtime.nodes.iter().find(|node| &node.name == name)) else {
            return Ok(None);
        };
        let Some(first) = names.get(1) else { return Err(failed("Value not found".to_owned())) };
        let mut keys = &names[2..];
        let mut root = node.body.get("properties").and_then(|properties| properties.get(first)).cloned();
        if root.is_none()
            && let Some((property, rest)) = keys.split_first()
        {
            let from_capability = node
                .body
                .get("capabilities")
                .and_then(|capabilities| capabilities.get(first))
                .and_then(|capability| capability.get("properties"))
                .and_then(|properties| properties.get(property));
            let from_requirement = || {
                node.body
                    .get("requirements")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .find_map(|requirement| requirement.get(first))
                    .and_then(|requirement| requirement.get("relationship"))
                    .and_then(|relationship| relationship.get("properties"))
                    .and_then(|properties| properties.get(property))
            };
            root = from_capability.or_else(from_requirement).cloned();
            keys = rest;
        }
        let Some(root) = root else { return Err(failed("Value not found".to_owned())) };

        let key = format!("{}/{}", node.name, names[1..].join("/"));
        if runtime.active.contains(&key) {
            return Err(failed("Circular reference between functions".to_owned()));
        }
        self.runtime.as_mut().expect("checked above").active.push(key);
        let result = self.evaluate(&root, path).and_then(|mut value| {
            for key in keys {
                value = match &value {
                    Some(Value::Object(_) | Value::Array(_)) => {
                        let raw = descend(value.as_ref().expect("matched Some"), &Value::String(key.clone()));
                        match raw {
                            Some(raw) => self.evaluate(&raw, key)?,
                            None => None,
                        }
                    }
                    _ => {
                        return Err(failed(format!("Parameter {key}provided but the pointed property is not complex")));
                    }
                };
            }
            Ok(value)
        });
        self.runtime.as_mut().expect("checked above").active.pop();
        result
    }
}

/// `value[key]` for a mapping, `value[index]` for a list.
fn descend(value: &Value, key: &Value) -> Option<Value> {
    let key = parameter_text(key);
    match value {
        Value::Object(entries) => entries.get(&key).cloned(),
        Value::Array(items) => key.parse::<usize>().ok().and_then(|index| items.get(index)).cloned(),
        _ => None,
    }
}

fn is_scalar(value: &Value) -> bool {
    matches!(value, Value::String(_) | Value::Number(_) | Value::Bool(_))
}

/// An artifact `file` that is `get_input`: written as a mapping, or as the text `{ get_input: name }`.
fn get_input_in_artifact(file: &Value) -> Option<Value> {
    match file {
        Value::Object(_) => as_function(file).filter(|(name, _)| *name == "get_input").map(|_| file.clone()),
        Value::String(text) => {
            let inner = text.trim().strip_prefix('{')?.strip_suffix('}')?.trim();
            let name = inner.strip_prefix("get_input")?.trim_start().strip_prefix(':')?.trim();
            let is_word = !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_');
            is_word.then(|| serde_json::json!({ "get_input": name }))
        }
        _ => None,
    }
}

/// Java's `String.split` on a literal separator: trailing empty parts are dropped.
fn java_split<'t>(text: &'t str, separator: &str) -> Vec<&'t str> {
    if separator.is_empty() {
        return vec![text];
    }
    let mut parts: Vec<&str> = text.split(separator).collect();
    while parts.len() > 1 && parts.last().is_some_and(|part| part.is_empty()) {
        parts.pop();
    }
    parts
}

/// YAML to JSON: mapping keys become text, tags are dropped, non-finite floats become text.
fn yaml_to_json(value: serde_norway::Value) -> Value {
    use serde_norway::Value as Yaml;
    match value {
        Yaml::Null => Value::Null,
        Yaml::Bool(flag) => Value::Bool(flag),
        Yaml::Number(number) => {
            if let Some(integer) = number.as_i64() {
                Value::from(integer)
            } else if let Some(integer) = number.as_u64() {
                Value::from(integer)
            } else {
                let float = number.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(float).map_or_else(|| Value::String(number.to_string()), Value::Number)
            }
        }
        Yaml::String(text) => Value::String(text),
        Yaml::Sequence(items) => Value::Array(items.into_iter().map(yaml_to_json).collect()),
        Yaml::Mapping(entries) => Value::Object(
            entries
                .into_iter()
                .map(|(key, value)| {
                    let key = match yaml_to_json(key) {
                        Value::String(text) => text,
                        other => other.to_string(),
                    };
                    (key, yaml_to_json(value))
                })
                .collect(),
        ),
        Yaml::Tagged(tagged) => yaml_to_json(tagged.value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The template of the "Get template" example in the orchestrator's REST docs (reference document 004).
    const GALAXY_TEMPLATE: &str = r#"tosca_definitions_version: tosca_simple_yaml_1_0

repositories:
  indigo_repository:
    description: INDIGO Custom types repository
    url: https://raw.githubusercontent.com/indigo-dc/tosca-types/master/

imports:
  - indigo_custom_types:
      file: custom_types.yaml
      repository: indigo_repository

description: >
  TOSCA test for launching a Galaxy Server also configuring the bowtie2
  tool using Galaxy Tool Shed.

topology_template:

  node_templates:

    bowtie2_galaxy_tool:
      type: tosca.nodes.indigo.GalaxyShedTool
      properties:
        name: bowtie2
        owner: devteam
        tool_panel_section_id: ngs_mapping
      requirements:
        - host: galaxy

    galaxy:
      type: tosca.nodes.indigo.GalaxyPortal
      requirements:
        - lrms: local_lrms

    local_lrms:
      type: tosca.nodes.indigo.LRMS.FrontEnd.Local
      requirements:
        - host: galaxy_server

    galaxy_server:
      type: tosca.nodes.indigo.Compute
      properties:
        public_ip: yes
      capabilities:
        host:
          properties:
            num_cpus: 1
            mem_size: 1 GB
        os:
          properties:
            type: linux

  outputs:
    galaxy_url:
      value: { get_attribute: [ galaxy_server, public_address ] }
"#;

    fn no_parameters() -> Map<String, Value> {
        Map::new()
    }

    fn parameters(value: Value) -> Map<String, Value> {
        value.as_object().expect("parameters are an object").clone()
    }

    fn message(result: Result<impl fmt::Debug, ToscaError>) -> String {
        result.expect_err("expected an error").to_string()
    }

    /// A one-compute-node template with the given inputs and count, for the input tests.
    fn compute_template(inputs: &str, count: &str) -> String {
        format!(
            "tosca_definitions_version: tosca_simple_yaml_1_0\n\
             topology_template:\n  inputs:\n{inputs}\n  node_templates:\n    my_server:\n      \
             type: tosca.nodes.indigo.Compute\n      capabilities:\n        scalable:\n          properties:\n            \
             count: {count}\n        host:\n          properties:\n            num_cpus: {{ get_input: cpus }}\n"
        )
    }

    #[test]
    fn galaxy_template_parses() {
        let template = parse_template(GALAXY_TEMPLATE).unwrap();
        assert_eq!(template.definitions_version, "tosca_simple_yaml_1_0");
        assert_eq!(
            template.description.as_deref(),
            Some(
                "TOSCA test for launching a Galaxy Server also configuring the bowtie2 tool using Galaxy Tool Shed.\n"
            )
        );
        assert_eq!(
            template.imports,
            ["https://raw.githubusercontent.com/indigo-dc/tosca-types/master/custom_types.yaml"]
        );
        let names: Vec<_> = template.node_templates.iter().map(|node| node.name.as_str()).collect();
        assert_eq!(names, ["bowtie2_galaxy_tool", "galaxy", "local_lrms", "galaxy_server"]);
        assert_eq!(template.outputs.len(), 1);
        assert_eq!(template.deployment_type(), DeploymentType::Tosca);
    }

    #[test]
    fn galaxy_resources_come_in_creation_order_with_required_by() {
        let template = parse_template(GALAXY_TEMPLATE).unwrap();
        let resources = template.instantiate(&no_parameters()).unwrap().resources();
        let summary: Vec<(&str, &str, Vec<&str>)> = resources
            .iter()
            .map(|resource| {
                (
                    resource.tosca_node_name.as_str(),
                    resource.tosca_node_type.as_str(),
                    resource.required_by.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("galaxy_server", "tosca.nodes.indigo.Compute", vec!["local_lrms"]),
                ("local_lrms", "tosca.nodes.indigo.LRMS.FrontEnd.Local", vec!["galaxy"]),
                ("galaxy", "tosca.nodes.indigo.GalaxyPortal", vec!["bowtie2_galaxy_tool"]),
                ("bowtie2_galaxy_tool", "tosca.nodes.indigo.GalaxyShedTool", vec![]),
            ]
        );
    }

    #[test]
    fn type_filter_on_galaxy_template() {
        let template = parse_template(GALAXY_TEMPLATE).unwrap();
        assert_eq!(template.node_names_of_type("tosca.nodes.Compute"), ["galaxy_server"]);
        assert_eq!(template.node_names_of_type("tosca.nodes.SoftwareComponent"), ["galaxy", "local_lrms"]);
        assert_eq!(template.node_names_of_type("tosca.nodes.Root").len(), 4);
        assert!(template.node_names_of_type("tosca.nodes.compute").is_empty());
        assert!(template.node_names_of_type("tosca.nodes.Nothing").is_empty());
    }

    #[test]
    fn is_a_on_normative_and_indigo_types() {
        assert!(is_a("tosca.nodes.Compute", "tosca.nodes.Compute"));
        assert!(is_a("tosca.nodes.DBMS", "tosca.nodes.SoftwareComponent"));
        assert!(is_a("tosca.nodes.Container.Application.Docker", "tosca.nodes.Root"));
        assert!(!is_a("tosca.nodes.Database", "tosca.nodes.SoftwareComponent"));
        assert!(!is_a("tosca.nodes.Compute", "tosca.nodes.indigo.Compute"));
        assert!(is_a("tosca.nodes.indigo.Compute", "tosca.nodes.Compute"));
        assert!(is_a("tosca.nodes.indigo.LRMS.FrontEnd.Slurm", "tosca.nodes.SoftwareComponent"));
        assert!(is_a("tosca.nodes.indigo.LRMS.WorkerNode.SlurmGalaxy", "tosca.nodes.indigo.LRMS.WorkerNode.Slurm"));
        assert!(is_a("tosca.nodes.indigo.Container.Application.Docker.Marathon", "tosca.nodes.Container.Application"));
        assert!(is_a("tosca.nodes.indigo.Qcg.Job", "tosca.nodes.indigo.Batch.Job"));
        assert!(is_a("tosca.nodes.indigo.network.Port", "tosca.nodes.network.Port"));
        assert!(is_a("tosca.nodes.indigo.GalaxyPortal", "tosca.nodes.WebServer"));
        assert!(!is_a("tosca.nodes.indigo.compute", "tosca.nodes.Compute"), "case-sensitive");
        assert!(!is_a("unknown.Type", ROOT_NODE_TYPE));
        assert_eq!(
            TypeHierarchy::builtin().ancestors("tosca.nodes.indigo.MesosMaster"),
            [
                "tosca.nodes.indigo.LRMS.FrontEnd.Mesos",
                "tosca.nodes.indigo.LRMS.FrontEnd",
                "tosca.nodes.SoftwareComponent",
                "tosca.nodes.Root"
            ]
        );
    }

    #[test]
    fn template_node_types_extend_the_hierarchy() {
        let template = parse_template(
            "tosca_definitions_version: tosca_simple_yaml_1_0\n\
             node_types:\n  my.Server:\n    derived_from: tosca.nodes.indigo.Compute\n  my.BigServer:\n    derived_from: my.Server\n\
             topology_template:\n  node_templates:\n    big:\n      type: my.BigServer\n",
        )
        .unwrap();
        assert!(template.is_a("my.BigServer", "tosca.nodes.Compute"));
        assert!(template.is_a("my.BigServer", "my.Server"));
        assert_eq!(template.node_names_of_type("tosca.nodes.indigo.Compute"), ["big"]);
        assert!(!is_a("my.BigServer", "tosca.nodes.Compute"), "the free function knows built-in types only");
    }

    #[test]
    fn required_input_without_value_is_refused() {
        let template = parse_template(&compute_template("    cpus:\n      type: integer", "1")).unwrap();
        assert_eq!(
            message(template.instantiate(&no_parameters())),
            "Input <cpus> is required and is not present in the user's input list, nor has a default value"
        );
        assert_eq!(
            message(template.instantiate(&parameters(json!({"cpus": null})))),
            "Input <cpus> is required and is not present in the user's input list, nor has a default value"
        );
        assert!(template.instantiate(&parameters(json!({"cpus": 2}))).is_ok());
    }

    #[test]
    fn optional_input_without_value_fails_where_it_is_used() {
        let template =
            parse_template(&compute_template("    cpus:\n      type: integer\n      required: false", "1")).unwrap();
        assert_eq!(
            message(template.instantiate(&no_parameters())),
            "Failed to evaluate node_templates[my_server][capabilities][host][properties][num_cpus][get_input][cpus]: \
             No input provided for <cpus> and no default value provided in the definition"
        );
    }

    #[test]
    fn defaults_and_user_values_are_merged() {
        let template = parse_template(&compute_template(
            "    cpus:\n      type: integer\n      default: 1\n    instances:\n      type: integer\n      default: 3",
            "{ get_input: instances }",
        ))
        .unwrap();
        let instantiation = template.instantiate(&parameters(json!({"cpus": 4, "unrelated": "x"}))).unwrap();
        assert_eq!(Value::Object(instantiation.input_values.clone()), json!({"cpus": 4, "instances": 3}));
        assert_eq!(instantiation.resources().len(), 3);
    }

    #[test]
    fn count_zero_two_and_negative() {
        let inputs = "    cpus:\n      default: 1\n    n:\n      type: integer";
        let template = parse_template(&compute_template(inputs, "{ get_input: n }")).unwrap();
        let count = |n: Value| template.instantiate(&parameters(json!({ "n": n }))).map(|i| i.resources().len());
        assert_eq!(count(json!(0)), Ok(0));
        assert_eq!(count(json!(2)), Ok(2));
        assert_eq!(count(json!("2")), Ok(2));
        assert_eq!(count(json!(-1)), Ok(0));
        assert_eq!(message(count(json!("two"))), "Error parsing scalar value <two> as <integer>");
        assert_eq!(message(count(json!(2.5))), "Error parsing scalar value <2.5> as <integer>");
        let literal = parse_template(&compute_template("    cpus:\n      default: 1", "0")).unwrap();
        assert!(literal.instantiate(&no_parameters()).unwrap().resources().is_empty());
    }

    #[test]
    fn removal_list_is_read_after_substitution() {
        let template = parse_template(&compute_template(
            "    cpus:\n      default: 1\n    remove:\n      default: [ab12, cd34]",
            "1\n            removal_list: { get_input: remove }",
        ))
        .unwrap();
        let instantiation = template.instantiate(&no_parameters()).unwrap();
        assert_eq!(instantiation.nodes[0].removal_list, ["ab12", "cd34"]);
    }

    #[test]
    fn outputs_with_inputs_concat_and_nested_values() {
        let text = "tosca_definitions_version: tosca_simple_yaml_1_0\n\
             topology_template:\n  inputs:\n    port:\n      default: 8080\n    user:\n      required: false\n\
             \x20 node_templates:\n    server:\n      type: tosca.nodes.indigo.Compute\n      properties:\n        zone: eu-1\n\
             \x20 outputs:\n\
             \x20   port:\n      value: { get_input: port }\n\
             \x20   url:\n      value: { concat: [ 'http://', { get_attribute: [ server, public_address, 0 ] }, ':', { get_input: port } ] }\n\
             \x20   nested:\n      value: { ports: [ { get_input: port } ], zone: { get_property: [ server, zone ] } }\n\
             \x20   missing_attribute:\n      value: { get_attribute: [ server, private_address ] }\n\
             \x20   missing_input:\n      value: { get_input: user }\n\
             \x20   unknown_node:\n      value: { get_property: [ nowhere, zone ] }\n\
             \x20   nothing:\n      value: ~\n";
        let template = parse_template(text).unwrap();
        let outputs = template.completed_outputs(&parameters(json!({"port": 9000})), |node, attribute| {
            (node == "server" && attribute == "public_address").then(|| json!(["1.2.3.4", "5.6.7.8"]))
        });
        assert_eq!(
            Value::Object(outputs),
            json!({
                "port": 9000,
                "url": "http://1.2.3.4:9000",
                "nested": {"ports": [9000], "zone": "eu-1"},
                "missing_attribute":
                    "Failed to evaluate outputs[missing_attribute][value][get_attribute][server, private_address]: Value not found",
                "missing_input":
                    "Failed to evaluate outputs[missing_input][value][get_input][user]: No input provided for <user> and no default value provided in the definition",
            })
        );
    }

    #[test]
    fn galaxy_outputs_need_the_public_address() {
        let template = parse_template(GALAXY_TEMPLATE).unwrap();
        let outputs = template.completed_outputs(&no_parameters(), |node, attribute| {
            (node == "galaxy_server" && attribute == "public_address").then(|| json!("10.0.0.1"))
        });
        assert_eq!(Value::Object(outputs), json!({"galaxy_url": "10.0.0.1"}));
    }

    #[test]
    fn invalid_templates_are_parsing_errors() {
        let not_yaml = message(parse_template("a: [b"));
        assert!(not_yaml.starts_with(
            "Error parsing TOSCA template template:\nParsingError(errorLevel=ERROR, errorCode=INVALID_YAML"
        ));
        assert!(not_yaml.contains("startMark=SimpleMark(line="), "{not_yaml}");

        assert_eq!(
            message(parse_template("- just\n- a list\n")),
            "Error parsing TOSCA template template:\nParsingError(errorLevel=ERROR, errorCode=YAML_MAPPING_NODE_EXPECTED, \
             context=null, startMark=null, problem=A TOSCA template must be a YAML mapping, endMark=null, note=null)"
        );

        let no_version =
            message(parse_template("topology_template:\n  node_templates:\n    a:\n      type: tosca.nodes.Compute\n"));
        assert!(no_version.contains("errorCode=MISSING_TOSCA_VERSION"), "{no_version}");

        let unknown_type = message(parse_template(
            "tosca_definitions_version: tosca_simple_yaml_1_0\ntopology_template:\n  node_templates:\n    a:\n      \
             type: my.Unknown\n    b:\n      type: tosca.nodes.Compute\n      requirements:\n        - host: nowhere\n",
        ));
        assert_eq!(
            unknown_type.lines().collect::<Vec<_>>(),
            [
                "Error parsing TOSCA template template:",
                "ParsingError(errorLevel=ERROR, errorCode=TYPE_NOT_FOUND, context=a, startMark=null, problem=Node type not found \
                 among the template's, the normative or the INDIGO types, endMark=null, note=my.Unknown)",
                "ParsingError(errorLevel=ERROR, errorCode=REQUIREMENT_TARGET_NOT_FOUND, context=b, startMark=null, \
                 problem=The requirement host points at a node template that does not exist, endMark=null, note=nowhere)",
            ]
        );

        let undeclared_input = message(parse_template(
            "tosca_definitions_version: tosca_simple_yaml_1_0\ntopology_template:\n  node_templates:\n    a:\n      \
             type: tosca.nodes.Compute\n      properties:\n        size: { get_input: nope }\n",
        ));
        assert!(undeclared_input.contains("errorCode=MISSING_TOPOLOGY_INPUT, context=a"), "{undeclared_input}");
        assert!(undeclared_input.contains("problem=nope") && undeclared_input.contains("note=size"));

        let cyclic_types = message(parse_template(
            "tosca_definitions_version: tosca_simple_yaml_1_0\nnode_types:\n  x.A:\n    derived_from: x.B\n  x.B:\n    \
             derived_from: x.A\ntopology_template:\n  node_templates:\n    a:\n      type: x.A\n",
        ));
        assert!(cyclic_types.contains("errorCode=CYCLIC_DERIVED_FROM"), "{cyclic_types}");
    }

    #[test]
    fn templates_without_node_templates_are_refused() {
        let expected = "The TOSCA template has no topology_template with node_templates";
        assert_eq!(message(parse_template("tosca_definitions_version: tosca_simple_yaml_1_0\n")), expected);
        assert_eq!(
            message(parse_template(
                "tosca_definitions_version: tosca_simple_yaml_1_0\ntopology_template:\n  inputs: {}\n"
            )),
            expected
        );
    }

    #[test]
    fn unknown_types_are_accepted_when_other_definitions_are_imported() {
        let template = parse_template(
            "tosca_definitions_version: tosca_simple_yaml_1_0\nimports:\n  - https://example.org/my_types.yaml\n\
             topology_template:\n  node_templates:\n    a:\n      type: my.Thing\n",
        )
        .unwrap();
        assert!(template.is_a("my.Thing", ROOT_NODE_TYPE));
        assert!(!template.is_a("my.Thing", "tosca.nodes.Compute"));
    }

    #[test]
    fn dependency_loops_are_refused() {
        let text = "tosca_definitions_version: tosca_simple_yaml_1_0\ntopology_template:\n  node_templates:\n    \
             top:\n      type: tosca.nodes.SoftwareComponent\n      requirements:\n        - dependency: a\n    \
             a:\n      type: tosca.nodes.SoftwareComponent\n      requirements:\n        - dependency: b\n    \
             b:\n      type: tosca.nodes.SoftwareComponent\n      requirements:\n        - dependency: a\n";
        let template = parse_template(text).unwrap();
        assert_eq!(
            message(template.instantiate(&no_parameters())),
            "Found node depencency loop in TOSCA topology; involved nodes: [a, b]"
        );
        // A node requiring itself: the real graph library refuses such an edge outright (a 500 with
        // "loops not allowed"); standin reports it as a loop of one.
        let self_loop = text.replace("- dependency: b", "- dependency: a");
        let template = parse_template(&self_loop).unwrap();
        assert_eq!(
            message(template.instantiate(&no_parameters())),
            "Found node depencency loop in TOSCA topology; involved nodes: [a]"
        );
    }

    #[test]
    fn creation_order_breaks_ties_first_come_first_served() {
        let template = parse_template(
            "tosca_definitions_version: tosca_simple_yaml_1_0\ntopology_template:\n  node_templates:\n    \
             app:\n      type: tosca.nodes.WebApplication\n      requirements:\n        - host: web\n        - database: db\n    \
             port:\n      type: tosca.nodes.network.Port\n      requirements:\n        - binding: server\n    \
             web:\n      type: tosca.nodes.WebServer\n      requirements:\n        - host: server\n    \
             db:\n      type: tosca.nodes.Database\n      requirements:\n        - host: server\n    \
             server:\n      type: tosca.nodes.Compute\n",
        )
        .unwrap();
        let instantiation = template.instantiate(&no_parameters()).unwrap();
        let order: Vec<_> = instantiation.nodes.iter().map(|node| node.name.as_str()).collect();
        assert_eq!(order, ["server", "port", "web", "db", "app"]);
        let server = &instantiation.nodes[0];
        assert_eq!(server.required_by, ["port", "web", "db"]);
        assert_eq!(instantiation.nodes[4].requires, ["web", "db"]);
    }

    #[test]
    fn deployment_type_is_an_exact_match() {
        let text = |node_type: &str| {
            format!(
                "tosca_definitions_version: tosca_simple_yaml_1_0\ntopology_template:\n  node_templates:\n    \
                 a:\n      type: tosca.nodes.indigo.Compute\n    b:\n      type: {node_type}\n"
            )
        };
        let kind = |node_type: &str| parse_template(&text(node_type)).unwrap().deployment_type();
        assert_eq!(kind("tosca.nodes.indigo.Container.Application.Docker.Chronos"), DeploymentType::Chronos);
        assert_eq!(kind("tosca.nodes.indigo.Container.Application.Docker.Marathon"), DeploymentType::Marathon);
        assert_eq!(kind("tosca.nodes.indigo.Qcg.Job"), DeploymentType::Qcg);
        assert_eq!(kind("tosca.nodes.indigo.Kubernetes.HelmChart"), DeploymentType::KubernetesHelmChart);
        assert_eq!(kind("tosca.nodes.indigo.Batch.Job"), DeploymentType::Tosca);
    }

    #[test]
    fn get_input_in_policies_artifacts_interfaces_and_relationships_is_substituted() {
        let template = parse_template(
            "tosca_definitions_version: tosca_simple_yaml_1_0\ntopology_template:\n  inputs:\n    \
             image:\n      required: false\n  node_templates:\n    a:\n      type: tosca.nodes.indigo.Compute\n      \
             interfaces:\n        Standard:\n          configure:\n            inputs:\n              img: { get_input: image }\n",
        )
        .unwrap();
        assert_eq!(
            message(template.instantiate(&no_parameters())),
            "Failed to evaluate node_templates[a][interfaces][Standard][inputs][configure][img][get_input][image]: \
             No input provided for <image> and no default value provided in the definition"
        );
        let relationship = parse_template(
            "tosca_definitions_version: tosca_simple_yaml_1_0\ntopology_template:\n  inputs:\n    \
             mount:\n      required: false\n  node_templates:\n    disk:\n      type: tosca.nodes.BlockStorage\n    \
             a:\n      type: tosca.nodes.indigo.Compute\n      requirements:\n        - local_storage:\n            \
             node: disk\n            relationship:\n              type: tosca.relationships.AttachesTo\n              \
             properties:\n                location: { get_input: mount }\n",
        )
        .unwrap();
        assert_eq!(
            message(relationship.instantiate(&no_parameters())),
            "Failed to evaluate node_templates[a][requirements][local_storage][relationship][local_storage][properties]\
             [location][get_input][mount]: No input provided for <mount> and no default value provided in the definition"
        );
        assert_eq!(
            relationship.instantiate(&parameters(json!({"mount": "/data"}))).unwrap().nodes[1].requires,
            ["disk"]
        );

        let policy = parse_template(
            "tosca_definitions_version: tosca_simple_yaml_1_0\ntopology_template:\n  inputs:\n    \
             site:\n      required: false\n  node_templates:\n    a:\n      type: tosca.nodes.indigo.Compute\n  \
             policies:\n    - deploy_on_site:\n        type: tosca.policies.indigo.SlaPlacement\n        \
             properties: { sla_id: { get_input: site } }\n",
        )
        .unwrap();
        assert_eq!(
            message(policy.instantiate(&no_parameters())),
            "Failed to evaluate policies[deploy_on_site][properties][sla_id][get_input][site]: \
             No input provided for <site> and no default value provided in the definition"
        );

        let artifact = parse_template(
            "tosca_definitions_version: tosca_simple_yaml_1_0\ntopology_template:\n  inputs:\n    \
             image:\n      required: false\n  node_templates:\n    a:\n      type: tosca.nodes.indigo.Container.Application.Docker\n      \
             artifacts:\n        image:\n          file: { get_input: image }\n          type: tosca.artifacts.Deployment.Image.Container.Docker\n",
        )
        .unwrap();
        assert_eq!(
            message(artifact.instantiate(&no_parameters())),
            "Failed to evaluate node_templates[a][artifacts][image][file][get_input][image]: \
             No input provided for <image> and no default value provided in the definition"
        );
        assert_eq!(get_input_in_artifact(&json!("{ get_input: image }")), Some(json!({"get_input": "image"})));
        assert_eq!(get_input_in_artifact(&json!("docker://image")), None);
    }
}
