-- The use ledger (用印台账): append-only, hash-chained per seal, with signed checkpoints over all chain heads.

CREATE TABLE ledger_entries (
    id             {{autoid}},
    seal_id        TEXT NOT NULL,
    seq            BIGINT NOT NULL,          -- position in the seal's chain, from 1
    kind           TEXT NOT NULL,            -- stamp | refusal | dispense | return | wrong-seal | custody | admin | ...
    at_ms          BIGINT NOT NULL,          -- when it happened (device time for device events)
    recorded_ms    BIGINT NOT NULL,          -- when the cloud recorded it
    device_id      TEXT,
    actor          TEXT,                     -- applicant / user / keeper
    application_id TEXT,
    token_id       TEXT,
    source         TEXT,                     -- what produced it: "evt:{device}:{seq}" or "api:{request}" (idempotency)
    payload        TEXT NOT NULL,            -- the canonical JSON the hash covers
    prev_hash      TEXT NOT NULL,
    hash           TEXT NOT NULL,
    UNIQUE (seal_id, seq)
);
CREATE UNIQUE INDEX ledger_entries_source ON ledger_entries (source) WHERE source IS NOT NULL;
CREATE INDEX ledger_entries_time ON ledger_entries (at_ms);
CREATE INDEX ledger_entries_device ON ledger_entries (device_id, at_ms);

-- The head of every chain; appends lock the row (PostgreSQL) or the database (SQLite) through the UPDATE.
CREATE TABLE ledger_heads (
    seal_id TEXT PRIMARY KEY,
    seq     BIGINT NOT NULL,
    hash    TEXT NOT NULL
);

-- Signed statements of every chain head at a moment: truncating or rewriting a chain after a
-- checkpoint is detected even if the attacker recomputes every hash.
CREATE TABLE ledger_checkpoints (
    id         {{autoid}},
    at_ms      BIGINT NOT NULL,
    heads      TEXT NOT NULL,               -- canonical JSON: [{"seal":..,"seq":..,"hash":..}, ...] sorted by seal
    root       TEXT NOT NULL,               -- SHA-256 of heads
    key_id     TEXT NOT NULL,
    signature  TEXT NOT NULL                -- ECDSA P-256 over root, base64url
);
