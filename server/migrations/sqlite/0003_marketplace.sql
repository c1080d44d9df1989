-- OpenStackID Marketplace: the company services (public clouds, private clouds, consultants share one
-- shape, told apart by `kind`), the data center regions and locations of clouds, and consultants' offices.
-- Every column is kept as the text the real service sends (ids and coordinates as digit strings are
-- produced by the views); timestamps are `YYYY-MM-DD HH:MM:SS`, so they sort as text.

CREATE TABLE marketplace_company_services (
    kind            TEXT    NOT NULL,            -- public_cloud | private_cloud | consultant
    id              INTEGER NOT NULL,
    created         TEXT    NOT NULL,
    last_edited     TEXT    NOT NULL,
    name            TEXT,
    slug            TEXT,
    overview        TEXT,
    call2action_uri TEXT,
    active          INTEGER NOT NULL,            -- 1 or 0
    company_id      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, id)
);

-- One index per (filter, order) a list can ask for, so a page is an index range scan: the sort
-- key then the id (the tie-break), with and without the `active` filter.
CREATE INDEX marketplace_services_by_date ON marketplace_company_services (kind, created, id);
CREATE INDEX marketplace_services_by_name ON marketplace_company_services (kind, name COLLATE NOCASE, id);
CREATE INDEX marketplace_services_active_by_date ON marketplace_company_services (kind, active, created, id);
CREATE INDEX marketplace_services_active_by_name ON marketplace_company_services (kind, active, name COLLATE NOCASE, id);

-- `total` without counting rows: one row per (kind, active), kept in the transaction of every insert.
CREATE TABLE marketplace_service_counts (
    kind     TEXT    NOT NULL,
    active   INTEGER NOT NULL,
    services INTEGER NOT NULL,
    PRIMARY KEY (kind, active)
);

CREATE TABLE marketplace_data_center_regions (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    cloud_kind  TEXT    NOT NULL,
    cloud_id    INTEGER NOT NULL,
    id          INTEGER NOT NULL,
    created     TEXT    NOT NULL,
    last_edited TEXT    NOT NULL,
    name        TEXT,
    endpoint    TEXT,
    color       TEXT,
    UNIQUE (cloud_kind, id)
);
CREATE INDEX marketplace_regions_of_cloud ON marketplace_data_center_regions (cloud_kind, cloud_id, id);

CREATE TABLE marketplace_data_center_locations (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    region_seq  INTEGER NOT NULL REFERENCES marketplace_data_center_regions (seq),
    id          INTEGER NOT NULL,
    created     TEXT    NOT NULL,
    last_edited TEXT    NOT NULL,
    city        TEXT,
    state       TEXT,
    country     TEXT,
    lat         TEXT    NOT NULL,               -- decimal(9,2) as text: "33.45"
    lng         TEXT    NOT NULL
);
CREATE INDEX marketplace_locations_of_region ON marketplace_data_center_locations (region_seq, id);

CREATE TABLE marketplace_offices (
    id            INTEGER PRIMARY KEY,
    consultant_id INTEGER NOT NULL,
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
