-- What several instances share beyond the APIs' tables (see ../sqlite/0004_shared_work.sql).

ALTER TABLE barbican_orders ADD COLUMN claimed_until TEXT COLLATE "C";
ALTER TABLE orchestrator_deployments ADD COLUMN version BIGINT NOT NULL DEFAULT 0;

-- The marketplace's rate-limit windows, one row per counter key (method, URI and client address),
-- so every instance counts the same requests. Bookkeeping, not state: snapshots leave it out.
CREATE TABLE standin_rate_limit_windows (
    counter_key   TEXT    PRIMARY KEY,
    window_start  BIGINT  NOT NULL,   -- milliseconds since the epoch
    requests      BIGINT  NOT NULL
);

-- The control plane's fault rules and lifecycles, once a control call changed them: one row
-- (`control`) of JSON, whose generation every instance compares before each request
-- (see server/src/control/shared.rs).
CREATE TABLE standin_shared_settings (
    name        TEXT    PRIMARY KEY,
    generation  BIGINT  NOT NULL,
    value       TEXT    NOT NULL
);
