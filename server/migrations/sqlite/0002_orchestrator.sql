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
    pending_failure         TEXT,
    -- when the pending step started: with `timeout_mins`, a create or update still pending that long fails
    step_started_at         TEXT
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

-- List totals without counting rows: one count per list a caller can ask for without a `userGroup` filter,
-- kept by triggers in the same transaction as every insert and delete (owners never change).
CREATE TABLE orchestrator_list_counts (
    list    TEXT    NOT NULL,   -- `deployments` or `schedules`
    scope   TEXT    NOT NULL,   -- `all`, `org <organisation> <issuer>` or `owner <subject> <issuer> <organisation>`
    n       INTEGER NOT NULL,
    PRIMARY KEY (list, scope)
) WITHOUT ROWID;

CREATE TRIGGER orchestrator_deployments_counted AFTER INSERT ON orchestrator_deployments BEGIN
    INSERT INTO orchestrator_list_counts (list, scope, n) VALUES ('deployments', 'all', 1)
        ON CONFLICT (list, scope) DO UPDATE SET n = n + 1;
    INSERT INTO orchestrator_list_counts (list, scope, n)
        SELECT 'deployments', 'org ' || NEW.owner_organisation || ' ' || NEW.owner_issuer, 1
        WHERE NEW.owner_subject IS NOT NULL
        ON CONFLICT (list, scope) DO UPDATE SET n = n + 1;
    INSERT INTO orchestrator_list_counts (list, scope, n)
        SELECT 'deployments', 'owner ' || NEW.owner_subject || ' ' || NEW.owner_issuer || ' ' || NEW.owner_organisation, 1
        WHERE NEW.owner_subject IS NOT NULL
        ON CONFLICT (list, scope) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER orchestrator_deployments_uncounted AFTER DELETE ON orchestrator_deployments BEGIN
    UPDATE orchestrator_list_counts SET n = n - 1 WHERE list = 'deployments' AND scope IN (
        'all',
        'org ' || OLD.owner_organisation || ' ' || OLD.owner_issuer,
        'owner ' || OLD.owner_subject || ' ' || OLD.owner_issuer || ' ' || OLD.owner_organisation
    );
END;

CREATE TRIGGER orchestrator_schedules_counted AFTER INSERT ON orchestrator_schedules BEGIN
    INSERT INTO orchestrator_list_counts (list, scope, n) VALUES ('schedules', 'all', 1)
        ON CONFLICT (list, scope) DO UPDATE SET n = n + 1;
    INSERT INTO orchestrator_list_counts (list, scope, n)
        SELECT 'schedules', 'org ' || NEW.owner_organisation || ' ' || NEW.owner_issuer, 1
        WHERE NEW.owner_subject IS NOT NULL
        ON CONFLICT (list, scope) DO UPDATE SET n = n + 1;
    INSERT INTO orchestrator_list_counts (list, scope, n)
        SELECT 'schedules', 'owner ' || NEW.owner_subject || ' ' || NEW.owner_issuer || ' ' || NEW.owner_organisation, 1
        WHERE NEW.owner_subject IS NOT NULL
        ON CONFLICT (list, scope) DO UPDATE SET n = n + 1;
END;
