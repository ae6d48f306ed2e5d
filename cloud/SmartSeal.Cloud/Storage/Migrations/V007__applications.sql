-- Applications to use a seal and their approval (Applications/).

-- The approval state (resolved chain, votes of every round) is one JSON document guarded by
-- an optimistic version: a decision writes only if the version it read is still current.
CREATE TABLE applications (
    id              TEXT PRIMARY KEY,
    applicant       TEXT NOT NULL REFERENCES users (login),
    applicant_unit  TEXT NOT NULL REFERENCES org_units (id),
    seal_id         TEXT NOT NULL REFERENCES seals (id),
    purpose         TEXT NOT NULL,
    documents       TEXT NOT NULL,          -- JSON [{name, pages}]
    stamps          INTEGER NOT NULL,
    mode            TEXT NOT NULL,          -- cabinet | lock
    location        TEXT,                   -- JSON {circle} or {polygon}; NULL: anywhere
    window_from_ms  BIGINT NOT NULL,
    window_to_ms    BIGINT NOT NULL,
    urgency         TEXT NOT NULL,          -- normal | urgent
    chain           TEXT NOT NULL,          -- the chain definition's name
    status          TEXT NOT NULL,          -- pending | approved | rejected | returned | withdrawn
    state           TEXT NOT NULL,          -- JSON ApprovalState
    version         BIGINT NOT NULL,
    submitted_ms    BIGINT NOT NULL,        -- first submission: the start of the lead time
    step_due_ms     BIGINT,                 -- deadline of the current step (pending only)
    decided_ms      BIGINT,                 -- final decision (approved / rejected)
    lead_time_ms    BIGINT,                 -- decided_ms - submitted_ms
    updated_ms      BIGINT NOT NULL
);
CREATE INDEX applications_applicant ON applications (applicant, submitted_ms);
CREATE INDEX applications_seal ON applications (seal_id, status);

-- The inbox: one row per approver who holds an application now (status pending); closed rows stay as history.
CREATE TABLE approval_tasks (
    application_id  TEXT NOT NULL REFERENCES applications (id),
    round           INTEGER NOT NULL,
    step            INTEGER NOT NULL,
    approver        TEXT NOT NULL,
    status          TEXT NOT NULL,          -- pending | closed
    urgency         TEXT NOT NULL,
    due_ms          BIGINT NOT NULL,
    created_ms      BIGINT NOT NULL,
    PRIMARY KEY (application_id, round, step, approver)
);
CREATE INDEX approval_tasks_inbox ON approval_tasks (approver, status, due_ms);
CREATE INDEX approval_tasks_overdue ON approval_tasks (status, due_ms);
