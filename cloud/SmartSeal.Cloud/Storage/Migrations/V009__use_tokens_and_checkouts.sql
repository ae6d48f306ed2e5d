-- Use tokens the cloud issued (UseTokens/) and checkouts: an approved application's custody of
-- its seal, from collection or binding into a lock to the return (Checkouts/).

CREATE TABLE use_tokens (
    jti             TEXT PRIMARY KEY,
    application_id  TEXT NOT NULL REFERENCES applications (id),
    seal_id         TEXT NOT NULL REFERENCES seals (id),
    device_id       TEXT NOT NULL,
    mode            TEXT NOT NULL,          -- lock | cabinet
    compartment     INTEGER,
    uses            INTEGER NOT NULL,
    used            INTEGER NOT NULL,       -- stamps (lock) / collections (cabinet) the device reported
    refusals        INTEGER NOT NULL,
    last_use_seq    BIGINT,                 -- device seq of the last reported use: uses must arrive in order
    not_before_ms   BIGINT NOT NULL,
    expires_ms      BIGINT NOT NULL,
    issued_ms       BIGINT NOT NULL,
    issued_by       TEXT,
    revoked_ms      BIGINT,
    revoked_reason  TEXT
);
CREATE INDEX use_tokens_application ON use_tokens (application_id);
CREATE INDEX use_tokens_device ON use_tokens (device_id, revoked_ms);

CREATE TABLE checkouts (
    application_id  TEXT PRIMARY KEY REFERENCES applications (id),
    seal_id         TEXT NOT NULL REFERENCES seals (id),
    holder          TEXT NOT NULL,          -- the applicant
    mode            TEXT NOT NULL,          -- cabinet | lock
    status          TEXT NOT NULL,          -- awaiting | dispensing | out | returned | cancelled
    device_id       TEXT,                   -- the cabinet it came from / the lock it is in
    compartment     INTEGER,
    token_id        TEXT,
    window_from_ms  BIGINT NOT NULL,
    due_ms          BIGINT NOT NULL,        -- the end of the approved window: back by then
    created_ms      BIGINT NOT NULL,
    out_ms          BIGINT,
    returned_ms     BIGINT,
    overdue_ms      BIGINT,                 -- when the overdue alarm was raised
    updated_ms      BIGINT NOT NULL
);
CREATE INDEX checkouts_holder ON checkouts (holder, status);
CREATE INDEX checkouts_seal ON checkouts (seal_id, status);
CREATE INDEX checkouts_due ON checkouts (status, due_ms);

-- Seals a keeper disabled remotely: no dispense, no binding, and the lock carrying one is disabled.
CREATE TABLE seal_holds (
    seal_id     TEXT PRIMARY KEY REFERENCES seals (id),
    since_ms    BIGINT NOT NULL,
    held_by     TEXT NOT NULL,
    reason      TEXT NOT NULL
);

-- Lifecycle transitions that policy puts under four eyes (Seals/TransitionApprovals): requested by
-- one keeper, applied only when someone else in scope approves.
CREATE TABLE seal_transition_requests (
    id            {{autoid}},
    seal_id       TEXT NOT NULL REFERENCES seals (id),
    action        TEXT NOT NULL,
    reason        TEXT,
    rfid_tag      TEXT,
    requested_by  TEXT NOT NULL,
    requested_ms  BIGINT NOT NULL,
    status        TEXT NOT NULL,          -- pending | approved | rejected
    decided_by    TEXT,
    decided_ms    BIGINT,
    comment       TEXT
);
CREATE INDEX seal_transition_requests_seal ON seal_transition_requests (seal_id, status);

-- Remote disable/enable is ledgered with its acknowledgement: the version at which the enabled
-- flag last changed, and when the device applied it.
ALTER TABLE desired_states ADD COLUMN flag_version BIGINT;
ALTER TABLE desired_states ADD COLUMN flag_changed_ms BIGINT;
ALTER TABLE desired_states ADD COLUMN flag_applied_ms BIGINT;
