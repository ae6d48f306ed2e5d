-- Reminders and escalations of overdue approval steps (Applications/ApprovalEscalations).
CREATE TABLE approval_follow_ups (
    id              {{autoid}},
    application_id  TEXT NOT NULL REFERENCES applications (id),
    round           INTEGER NOT NULL,
    step            INTEGER NOT NULL,
    kind            TEXT NOT NULL,          -- reminded | escalated | rerouted
    logins          TEXT NOT NULL,          -- who was reminded / who the step went to, comma-separated
    note            TEXT NOT NULL,
    at_ms           BIGINT NOT NULL
);
CREATE INDEX approval_follow_ups_app ON approval_follow_ups (application_id, round, step, at_ms);
