-- Organisation (units, users, roles per unit, delegations, API tokens) and the seal register.

-- Units form a tree; path is the chain of ids from the root ("/hq/gd/sz/") so a subtree is one LIKE.
CREATE TABLE org_units (
    id         TEXT PRIMARY KEY,            -- the unit code, lower case (e.g. "gd-sz")
    parent_id  TEXT REFERENCES org_units (id),
    path       TEXT NOT NULL UNIQUE,
    name_zh    TEXT NOT NULL,
    name_en    TEXT,
    created_ms BIGINT NOT NULL
);

CREATE TABLE users (
    login             TEXT PRIMARY KEY,
    display_name      TEXT NOT NULL,
    unit_id           TEXT NOT NULL REFERENCES org_units (id),
    post              TEXT,                   -- post / title (职务), printed in the ledger
    active            BOOLEAN NOT NULL,
    password_hash     TEXT,
    failed_logins     INTEGER NOT NULL,
    locked_until_ms   BIGINT NOT NULL,
    created_ms        BIGINT NOT NULL
);

-- A role held on a unit applies to the unit and all its sub-units.
CREATE TABLE role_assignments (
    login      TEXT NOT NULL REFERENCES users (login),
    role       TEXT NOT NULL,
    unit_id    TEXT NOT NULL REFERENCES org_units (id),
    created_ms BIGINT NOT NULL,
    PRIMARY KEY (login, role, unit_id)
);

-- Approval rights lent to another user for a period (used by the approval workflow).
CREATE TABLE delegations (
    id          {{autoid}},
    from_login  TEXT NOT NULL REFERENCES users (login),
    to_login    TEXT NOT NULL REFERENCES users (login),
    unit_id     TEXT REFERENCES org_units (id), -- NULL: every unit the delegator approves for
    starts_ms   BIGINT NOT NULL,
    ends_ms     BIGINT NOT NULL,
    reason      TEXT,
    created_ms  BIGINT NOT NULL,
    revoked_ms  BIGINT
);
CREATE INDEX delegations_to ON delegations (to_login, ends_ms);

-- Bearer tokens of signed-in users: only the SHA-256 of the token is stored.
CREATE TABLE api_tokens (
    token_hash  TEXT PRIMARY KEY,
    login       TEXT NOT NULL REFERENCES users (login),
    created_ms  BIGINT NOT NULL,
    expires_ms  BIGINT NOT NULL,
    revoked_ms  BIGINT
);
CREATE INDEX api_tokens_login ON api_tokens (login);

CREATE TABLE seals (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    type           TEXT NOT NULL,           -- company | finance | contract | legal-representative | department | project
    unit_id        TEXT NOT NULL REFERENCES org_units (id),
    level          INTEGER NOT NULL,
    custodian      TEXT REFERENCES users (login),
    rfid_tag       TEXT,                    -- upper-case hex
    state          TEXT NOT NULL,           -- see Seals/SealLifecycle
    location_kind  TEXT NOT NULL,           -- cabinet | lock | person | unknown (the orchestration updates it)
    location_ref   TEXT,                    -- "cab-0001/3", "lock-0002", a login
    location_ms    BIGINT NOT NULL,
    created_ms     BIGINT NOT NULL,
    updated_ms     BIGINT NOT NULL
);
-- A tag identifies one seal among those that still exist; revoked and destroyed seals free it.
CREATE UNIQUE INDEX seals_active_tag ON seals (rfid_tag) WHERE rfid_tag IS NOT NULL AND state NOT IN ('revoked', 'destroyed');
CREATE INDEX seals_unit ON seals (unit_id);

-- Inventory checks (盘点): the seals expected in a unit's subtree at the start, the tags seen since.
CREATE TABLE inventory_checks (
    id          {{autoid}},
    unit_id     TEXT NOT NULL REFERENCES org_units (id),
    started_by  TEXT NOT NULL,
    started_ms  BIGINT NOT NULL,
    closed_by   TEXT,
    closed_ms   BIGINT
);

CREATE TABLE inventory_items (
    check_id        BIGINT NOT NULL REFERENCES inventory_checks (id),
    seal_id         TEXT NOT NULL REFERENCES seals (id),
    rfid_tag        TEXT,
    location_kind   TEXT NOT NULL,
    location_ref    TEXT,
    PRIMARY KEY (check_id, seal_id)
);

CREATE TABLE inventory_observations (
    check_id  BIGINT NOT NULL REFERENCES inventory_checks (id),
    rfid_tag  TEXT NOT NULL,
    source    TEXT NOT NULL,               -- a cabinet / lock id (its tag report) or "manual:{login}"
    at_ms     BIGINT NOT NULL,
    PRIMARY KEY (check_id, rfid_tag, source)
);
