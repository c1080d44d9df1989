-- Work that several instances could race for is claimed in the database (see docs/design.md,
-- "Several instances"); on SQLite only one process writes, but the same statements run.

-- A PENDING order being processed: who holds it until when (naive UTC text, as `due_at`). A claim
-- whose time has passed is free again, so an order held by a dead instance is processed by the next read.
ALTER TABLE barbican_orders ADD COLUMN claimed_until TEXT;

-- Every write of a deployment is conditional on the version it read (optimistic concurrency), so
-- two instances can never both apply a lifecycle step or an update to the same deployment.
ALTER TABLE orchestrator_deployments ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
