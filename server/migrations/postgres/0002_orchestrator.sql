-- The orchestrator on PostgreSQL: the tables of ../sqlite/0002_orchestrator.sql. References are
-- DEFERRABLE so that a snapshot load can fill the tables in any order (SQLite's defer_foreign_keys).

CREATE TABLE orchestrator_deployments (
    seq                     BIGSERIAL PRIMARY KEY,
    id                      TEXT    COLLATE "C" NOT NULL UNIQUE,
    created_at              TEXT    COLLATE "C" NOT NULL,
    updated_at              TEXT    COLLATE "C" NOT NULL,
    status                  TEXT    COLLATE "C" NOT NULL,
    status_reason           TEXT    COLLATE "C",
    task                    TEXT    COLLATE "C" NOT NULL,
    physical_id             TEXT    COLLATE "C",
    callback                TEXT    COLLATE "C",
    user_group              TEXT    COLLATE "C",
    owner_subject           TEXT    COLLATE "C",
    owner_issuer            TEXT    COLLATE "C",
    owner_organisation      TEXT    COLLATE "C",
    template                TEXT    NOT NULL,
    parameters              TEXT    NOT NULL,
    outputs                 TEXT    NOT NULL,
    timeout_mins            BIGINT,
    provider_timeout_mins   BIGINT,
    max_providers_retry     BIGINT,
    keep_last_attempt       BIGINT  NOT NULL DEFAULT 0,
    deployment_type         TEXT    COLLATE "C" NOT NULL,
    provider                TEXT    COLLATE "C",
    cloud_provider_name     TEXT    COLLATE "C",
    cloud_provider_endpoint TEXT,
    log                     TEXT,
    extra_info              TEXT,
    due_at                  TEXT    COLLATE "C",
    polls_left              BIGINT,
    pending_failure         TEXT,
    step_started_at         TEXT    COLLATE "C"
);

CREATE INDEX orchestrator_deployments_by_org ON orchestrator_deployments (owner_organisation, owner_issuer, created_at, seq);
CREATE INDEX orchestrator_deployments_by_owner ON orchestrator_deployments (owner_subject, owner_issuer, owner_organisation, created_at, seq);
CREATE INDEX orchestrator_deployments_by_time ON orchestrator_deployments (created_at, seq);

CREATE TABLE orchestrator_resources (
    seq             BIGSERIAL PRIMARY KEY,
    id              TEXT    COLLATE "C" NOT NULL UNIQUE,
    deployment_id   TEXT    COLLATE "C" NOT NULL REFERENCES orchestrator_deployments (id) ON DELETE CASCADE DEFERRABLE,
    created_at      TEXT    COLLATE "C" NOT NULL,
    updated_at      TEXT    COLLATE "C" NOT NULL,
    physical_id     TEXT    COLLATE "C",
    state           TEXT    COLLATE "C" NOT NULL,
    tosca_node_type TEXT    COLLATE "C" NOT NULL,
    tosca_node_name TEXT    COLLATE "C" NOT NULL,
    metadata        TEXT    NOT NULL
);

CREATE INDEX orchestrator_resources_page ON orchestrator_resources (deployment_id, created_at, seq);

CREATE TABLE orchestrator_schedules (
    seq                     BIGSERIAL PRIMARY KEY,
    id                      TEXT    COLLATE "C" NOT NULL UNIQUE,
    created_at              TEXT    COLLATE "C" NOT NULL,
    updated_at              TEXT    COLLATE "C",
    status                  TEXT    COLLATE "C" NOT NULL,
    replication_expression  TEXT    COLLATE "C" NOT NULL,
    file_expression         TEXT    COLLATE "C" NOT NULL,
    callback                TEXT    COLLATE "C",
    number_of_replicas      BIGINT  NOT NULL,
    owner_subject           TEXT    COLLATE "C",
    owner_issuer            TEXT    COLLATE "C",
    owner_organisation      TEXT    COLLATE "C",
    template                TEXT    NOT NULL,
    parameters              TEXT    NOT NULL
);

CREATE INDEX orchestrator_schedules_by_org ON orchestrator_schedules (owner_organisation, owner_issuer, created_at, seq);
CREATE INDEX orchestrator_schedules_by_owner ON orchestrator_schedules (owner_subject, owner_issuer, owner_organisation, created_at, seq);

CREATE TABLE orchestrator_schedule_events (
    seq                 BIGSERIAL PRIMARY KEY,
    id                  TEXT    COLLATE "C" NOT NULL UNIQUE,
    schedule_id         TEXT    COLLATE "C" NOT NULL,
    deployment_id       TEXT    COLLATE "C" NOT NULL REFERENCES orchestrator_deployments (id) ON DELETE CASCADE DEFERRABLE,
    created_at          TEXT    COLLATE "C" NOT NULL,
    updated_at          TEXT    COLLATE "C",
    scope               TEXT    COLLATE "C" NOT NULL,
    name                TEXT    COLLATE "C" NOT NULL,
    replication_status  TEXT    COLLATE "C"
);

CREATE INDEX orchestrator_schedule_events_page ON orchestrator_schedule_events (schedule_id, created_at, seq);

CREATE TABLE orchestrator_list_counts (
    list    TEXT    NOT NULL,
    scope   TEXT    NOT NULL,
    n       BIGINT  NOT NULL,
    PRIMARY KEY (list, scope)
);

-- The counts are kept as SQLite's triggers keep them, in the transaction of every insert and delete.
CREATE FUNCTION orchestrator_count_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    list_name TEXT := CASE TG_TABLE_NAME WHEN 'orchestrator_deployments' THEN 'deployments' ELSE 'schedules' END;
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO orchestrator_list_counts (list, scope, n) VALUES (list_name, 'all', 1)
            ON CONFLICT (list, scope) DO UPDATE SET n = orchestrator_list_counts.n + 1;
        IF NEW.owner_subject IS NOT NULL THEN
            INSERT INTO orchestrator_list_counts (list, scope, n)
                VALUES (list_name, 'org ' || NEW.owner_organisation || ' ' || NEW.owner_issuer, 1)
                ON CONFLICT (list, scope) DO UPDATE SET n = orchestrator_list_counts.n + 1;
            INSERT INTO orchestrator_list_counts (list, scope, n)
                VALUES (list_name, 'owner ' || NEW.owner_subject || ' ' || NEW.owner_issuer || ' ' || NEW.owner_organisation, 1)
                ON CONFLICT (list, scope) DO UPDATE SET n = orchestrator_list_counts.n + 1;
        END IF;
        RETURN NEW;
    ELSE
        UPDATE orchestrator_list_counts SET n = n - 1 WHERE list = list_name AND scope IN (
            'all',
            'org ' || OLD.owner_organisation || ' ' || OLD.owner_issuer,
            'owner ' || OLD.owner_subject || ' ' || OLD.owner_issuer || ' ' || OLD.owner_organisation
        );
        RETURN OLD;
    END IF;
END;
$$;

CREATE TRIGGER orchestrator_deployments_counted AFTER INSERT OR DELETE ON orchestrator_deployments
    FOR EACH ROW EXECUTE FUNCTION orchestrator_count_row();
-- Schedules are counted on insert only (they are never deleted one by one), as on SQLite.
CREATE TRIGGER orchestrator_schedules_counted AFTER INSERT ON orchestrator_schedules
    FOR EACH ROW EXECUTE FUNCTION orchestrator_count_row();
