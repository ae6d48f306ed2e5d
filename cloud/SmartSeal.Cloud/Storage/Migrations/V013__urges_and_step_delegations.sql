-- Follow-ups on pending applications (Applications/ApplicationUrges, StepDelegations).

-- An applicant's reminder (督促) to the approvers holding an overdue step; one per interval per step.
CREATE TABLE application_urges (
    id              {{autoid}},
    application_id  TEXT NOT NULL REFERENCES applications (id),
    round           INTEGER NOT NULL,
    step            INTEGER NOT NULL,
    urged_by        TEXT NOT NULL,
    approvers       TEXT NOT NULL,          -- who held the step, comma-separated
    at_ms           BIGINT NOT NULL
);
CREATE INDEX application_urges_app ON application_urges (application_id, at_ms);

-- An approver hands one step of one application to a colleague, who may then decide it for them.
CREATE TABLE step_delegations (
    id              {{autoid}},
    application_id  TEXT NOT NULL REFERENCES applications (id),
    round           INTEGER NOT NULL,
    step            INTEGER NOT NULL,
    from_login      TEXT NOT NULL REFERENCES users (login),
    to_login        TEXT NOT NULL REFERENCES users (login),
    reason          TEXT,
    at_ms           BIGINT NOT NULL
);
CREATE UNIQUE INDEX step_delegations_once ON step_delegations (application_id, round, step, from_login);
CREATE INDEX step_delegations_to ON step_delegations (to_login, application_id);
