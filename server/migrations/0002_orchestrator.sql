-- INDIGO PaaS Orchestrator: deployments, their resources, schedules and schedule events.
-- Timestamps are UTC text `%Y-%m-%dT%H:%M:%S%.6fZ`, so they sort as text; `seq` breaks ties in insertion order.

CREATE TABLE orchestrator_deployments (
    seq                     INTEGER PRIMARY KEY AUTOINCREMENT,
    id                      TEXT    NOT NULL UNIQUE,
    created_at              TEXT    NOT NULL,
    updated_at              TEXT    NOT NULL,
    status                  TEXT    NOT NULL,
    status_reason           TEXT,
    task                    TEXT    NOT NULL,
    physical_id             TEXT,
    callback                TEXT,
    user_group              TEXT,
    owner_subject           TEXT,
    owner_issuer            TEXT,
    owner_organisation      TEXT,
    template                TEXT    NOT NULL,
    parameters              TEXT    NOT NULL,
    outputs                 TEXT    NOT NULL,
    timeout_mins            INTEGER,
    provider_timeout_mins   INTEGER,
    max_providers_retry     INTEGER,
    keep_last_attempt       INTEGER NOT NULL DEFAULT 0,
    deployment_type         TEXT    NOT NULL,
    -- the provider kind (IM, CHRONOS, ...): NULL until the deployment gets past brokering
    provider                TEXT,
    cloud_provider_name     TEXT,
    cloud_provider_endpoint TEXT,
    log                     TEXT,
    extra_info              TEXT,
    -- lifecycle of an *_IN_PROGRESS deployment: due once `due_at` has passed or `polls_left` reaches 0;
    -- both NULL while in progress means held until told (manual)
    due_at                  TEXT,
    polls_left              INTEGER,
    -- what the pending step ends in: NULL for success, else the failure reason
    pending_failure         TEXT
);

-- Pages of an organisation's deployments (or one owner's) in creation order are index range scans, and
-- their totals are counted on the index alone.
CREATE INDEX orchestrator_deployments_by_org ON orchestrator_deployments (owner_organisation, owner_issuer, created_at, seq);
CREATE INDEX orchestrator_deployments_by_owner ON orchestrator_deployments (owner_subject, owner_issuer, owner_organisation, created_at, seq);
CREATE INDEX orchestrator_deployments_by_time ON orchestrator_deployments (created_at, seq);

CREATE TABLE orchestrator_resources (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT    NOT NULL UNIQUE,
    deployment_id   TEXT    NOT NULL REFERENCES orchestrator_deployments (id) ON DELETE CASCADE,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    physical_id     TEXT,
    state           TEXT    NOT NULL,
    tosca_node_type TEXT    NOT NULL,
    tosca_node_name TEXT    NOT NULL,
    metadata        TEXT    NOT NULL
);

CREATE INDEX orchestrator_resources_page ON orchestrator_resources (deployment_id, created_at, seq);

CREATE TABLE orchestrator_schedules (
    seq                     INTEGER PRIMARY KEY AUTOINCREMENT,
    id                      TEXT    NOT NULL UNIQUE,
    created_at              TEXT    NOT NULL,
    updated_at              TEXT,
    status                  TEXT    NOT NULL,
    replication_expression  TEXT    NOT NULL,
    file_expression         TEXT    NOT NULL,
    callback                TEXT,
    number_of_replicas      INTEGER NOT NULL,
    owner_subject           TEXT,
    owner_issuer            TEXT,
    owner_organisation      TEXT,
    template                TEXT    NOT NULL,
    parameters              TEXT    NOT NULL
);

CREATE INDEX orchestrator_schedules_by_org ON orchestrator_schedules (owner_organisation, owner_issuer, created_at, seq);
CREATE INDEX orchestrator_schedules_by_owner ON orchestrator_schedules (owner_subject, owner_issuer, owner_organisation, created_at, seq);

-- An event is removed with its deployment (the real service cascades).
CREATE TABLE orchestrator_schedule_events (
    seq                 INTEGER PRIMARY KEY AUTOINCREMENT,
    id                  TEXT    NOT NULL UNIQUE,
    schedule_id         TEXT    NOT NULL,
    deployment_id       TEXT    NOT NULL REFERENCES orchestrator_deployments (id) ON DELETE CASCADE,
    created_at          TEXT    NOT NULL,
    updated_at          TEXT,
    scope               TEXT    NOT NULL,
    name                TEXT    NOT NULL,
    replication_status  TEXT
);

CREATE INDEX orchestrator_schedule_events_page ON orchestrator_schedule_events (schedule_id, created_at, seq);
