-- Barbican on PostgreSQL: the tables of ../sqlite/0001_barbican.sql, with the same columns and meaning.
-- Integers are BIGINT (what the storage layer reads), and text that is sorted sorts bytewise
-- (COLLATE "C"), as SQLite's does, whatever the database's locale.

CREATE TABLE barbican_orders (
    seq                 BIGSERIAL PRIMARY KEY,
    id                  TEXT    NOT NULL UNIQUE,
    project_id          TEXT    COLLATE "C" NOT NULL,
    order_type          TEXT    NOT NULL,
    status              TEXT    NOT NULL,
    meta                TEXT    NOT NULL,
    creator_id          TEXT,
    created_at          TEXT    COLLATE "C" NOT NULL,
    updated_at          TEXT    COLLATE "C" NOT NULL,
    sub_status          TEXT,
    sub_status_message  TEXT,
    error_status_code   TEXT,
    error_reason        TEXT,
    secret_id           TEXT,
    container_id        TEXT,
    deleted             BIGINT  NOT NULL DEFAULT 0,
    due_at              TEXT    COLLATE "C",
    polls_left          BIGINT
);

CREATE INDEX barbican_orders_page ON barbican_orders (project_id, deleted, created_at, seq);

CREATE TABLE barbican_project_order_counts (
    project_id   TEXT    PRIMARY KEY,
    live_orders  BIGINT  NOT NULL
);

CREATE TABLE barbican_secrets (
    id            TEXT PRIMARY KEY,
    project_id    TEXT NOT NULL,
    name          TEXT,
    secret_type   TEXT NOT NULL,
    algorithm     TEXT,
    bit_length    BIGINT,
    mode          TEXT,
    expiration    TEXT,
    content_type  TEXT NOT NULL,
    creator_id    TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    payload       BYTEA NOT NULL
);

CREATE TABLE barbican_containers (
    id            TEXT PRIMARY KEY,
    project_id    TEXT NOT NULL,
    name          TEXT,
    container_type TEXT NOT NULL,
    creator_id    TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    secret_refs   TEXT NOT NULL
);
