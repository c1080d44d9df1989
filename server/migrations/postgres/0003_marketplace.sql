-- The marketplace on PostgreSQL: the tables of ../sqlite/0003_marketplace.sql. SQLite's
-- `name COLLATE NOCASE` order is `lower(name) COLLATE "C"` here (both fold ASCII letters only).

CREATE TABLE marketplace_company_services (
    kind            TEXT    COLLATE "C" NOT NULL,
    id              BIGINT  NOT NULL,
    created         TEXT    COLLATE "C" NOT NULL,
    last_edited     TEXT    NOT NULL,
    name            TEXT    COLLATE "C",
    slug            TEXT,
    overview        TEXT,
    call2action_uri TEXT,
    active          BIGINT  NOT NULL,
    company_id      BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, id)
);

CREATE INDEX marketplace_services_by_date ON marketplace_company_services (kind, created, id);
CREATE INDEX marketplace_services_by_name ON marketplace_company_services (kind, lower(name) COLLATE "C" NULLS FIRST, id);
CREATE INDEX marketplace_services_active_by_date ON marketplace_company_services (kind, active, created, id);
CREATE INDEX marketplace_services_active_by_name ON marketplace_company_services (kind, active, lower(name) COLLATE "C" NULLS FIRST, id);

CREATE TABLE marketplace_service_counts (
    kind     TEXT    NOT NULL,
    active   BIGINT  NOT NULL,
    services BIGINT  NOT NULL,
    PRIMARY KEY (kind, active)
);

CREATE TABLE marketplace_data_center_regions (
    seq         BIGSERIAL PRIMARY KEY,
    cloud_kind  TEXT    NOT NULL,
    cloud_id    BIGINT  NOT NULL,
    id          BIGINT  NOT NULL,
    created     TEXT    NOT NULL,
    last_edited TEXT    NOT NULL,
    name        TEXT,
    endpoint    TEXT,
    color       TEXT,
    UNIQUE (cloud_kind, id)
);
CREATE INDEX marketplace_regions_of_cloud ON marketplace_data_center_regions (cloud_kind, cloud_id, id);

CREATE TABLE marketplace_data_center_locations (
    seq         BIGSERIAL PRIMARY KEY,
    region_seq  BIGINT  NOT NULL REFERENCES marketplace_data_center_regions (seq) DEFERRABLE,
    id          BIGINT  NOT NULL,
    created     TEXT    NOT NULL,
    last_edited TEXT    NOT NULL,
    city        TEXT,
    state       TEXT,
    country     TEXT,
    lat         TEXT    NOT NULL,
    lng         TEXT    NOT NULL
);
CREATE INDEX marketplace_locations_of_region ON marketplace_data_center_locations (region_seq, id);

CREATE TABLE marketplace_offices (
    id            BIGINT  PRIMARY KEY,
    consultant_id BIGINT  NOT NULL,
    created       TEXT    NOT NULL,
    last_edited   TEXT    NOT NULL,
    address       TEXT,
    address2      TEXT,
    state         TEXT,
    zip_code      TEXT,
    city          TEXT,
    country       TEXT,
    lat           TEXT    NOT NULL,
    lng           TEXT    NOT NULL
);
CREATE INDEX marketplace_offices_of_consultant ON marketplace_offices (consultant_id, id);
