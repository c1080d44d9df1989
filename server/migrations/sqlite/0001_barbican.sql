-- Barbican: orders, the secrets and containers they generate, and a live-order count per project.
-- Timestamps are naive UTC text, `%Y-%m-%dT%H:%M:%S.%6f`, so they sort as text.

CREATE TABLE barbican_orders (
    seq                 INTEGER PRIMARY KEY AUTOINCREMENT,
    id                  TEXT    NOT NULL UNIQUE,
    project_id          TEXT    NOT NULL,
    order_type          TEXT    NOT NULL,
    status              TEXT    NOT NULL,
    meta                TEXT    NOT NULL,
    creator_id          TEXT,
    created_at          TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL,
    sub_status          TEXT,
    sub_status_message  TEXT,
    error_status_code   TEXT,
    error_reason        TEXT,
    secret_id           TEXT,
    container_id        TEXT,
    deleted             INTEGER NOT NULL DEFAULT 0,
    -- lifecycle of a PENDING order: due once `due_at` has passed, or once `polls_left` reaches 0
    due_at              TEXT,
    polls_left          INTEGER
);

-- A page of a project's live orders, oldest first, is an index range scan.
CREATE INDEX barbican_orders_page ON barbican_orders (project_id, deleted, created_at, seq);

-- `total` without counting rows: kept in the same transaction as every insert and delete.
CREATE TABLE barbican_project_order_counts (
    project_id   TEXT    PRIMARY KEY,
    live_orders  INTEGER NOT NULL
);

CREATE TABLE barbican_secrets (
    id            TEXT PRIMARY KEY,
    project_id    TEXT NOT NULL,
    name          TEXT,
    secret_type   TEXT NOT NULL,
    algorithm     TEXT,
    bit_length    INTEGER,
    mode          TEXT,
    expiration    TEXT,
    content_type  TEXT NOT NULL,
    creator_id    TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    payload       BLOB NOT NULL
);

CREATE TABLE barbican_containers (
    id            TEXT PRIMARY KEY,
    project_id    TEXT NOT NULL,
    name          TEXT,
    container_type TEXT NOT NULL,
    creator_id    TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    -- JSON array of {"name", "secret_id"}, in Barbican's order
    secret_refs   TEXT NOT NULL
);
