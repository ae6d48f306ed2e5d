-- Audits (Audits/): an auditor's audit of a period and units, its checklist (sampled ledger
-- entries, before/after photo comparisons, stocktakes), findings with severity and the units'
-- rectification answers. A closed finding, and a closed audit, never change again: the
-- triggers below refuse it in the database itself, whatever code runs against it.

CREATE TABLE audits (
    id              {{autoid}},
    title           TEXT NOT NULL,
    from_ms         BIGINT NOT NULL,
    to_ms           BIGINT NOT NULL,
    unit_ids        TEXT NOT NULL,          -- comma-separated org unit ids (each with its subtree)
    seed            BIGINT NOT NULL,        -- the sample's seed: the same seed and ledger give the same checklist
    opened_by       TEXT NOT NULL,
    opened_ms       BIGINT NOT NULL,
    closed_by       TEXT,
    closed_ms       BIGINT
);

-- One line of the checklist: a sampled ledger entry, a before/after photo pair of a sampled stamp,
-- or a stocktake (inventory check) of an audited unit in the period.
CREATE TABLE audit_items (
    id              {{autoid}},
    audit_id        BIGINT NOT NULL REFERENCES audits (id),
    position        BIGINT NOT NULL,
    kind            TEXT NOT NULL,          -- ledger-entry, photo-pair, stocktake
    ref             TEXT NOT NULL,          -- ledger entry id or inventory check id
    seal_id         TEXT,
    unit_id         TEXT,
    at_ms           BIGINT,
    photo_before    TEXT,                   -- photo-pair: SHA-256 of the lock's before- and after-photo
    photo_after     TEXT,
    checked_by      TEXT,
    checked_ms      BIGINT,
    outcome         TEXT,                   -- ok, finding
    note            TEXT
);
CREATE INDEX audit_items_audit ON audit_items (audit_id, position);

-- A finding and its rectification: assigned to a unit with a deadline, answered by that unit,
-- accepted (closed) or returned by the auditor.
CREATE TABLE audit_findings (
    id              {{autoid}},
    audit_id        BIGINT NOT NULL REFERENCES audits (id),
    item_id         BIGINT REFERENCES audit_items (id),
    unit_id         TEXT NOT NULL,
    severity        TEXT NOT NULL,          -- minor, moderate, severe
    description     TEXT NOT NULL,
    recorded_by     TEXT NOT NULL,
    recorded_ms     BIGINT NOT NULL,
    status          TEXT NOT NULL,          -- open, rectifying, answered, closed
    rectify_unit    TEXT,
    deadline_ms     BIGINT,
    assigned_ms     BIGINT,
    answer          TEXT,
    answered_by     TEXT,
    answered_ms     BIGINT,
    review_note     TEXT,
    returns         BIGINT NOT NULL,
    closed_by       TEXT,
    closed_ms       BIGINT
);
CREATE INDEX audit_findings_audit ON audit_findings (audit_id, id);
CREATE INDEX audit_findings_rectify ON audit_findings (rectify_unit, status);

--{{sqlite}}
CREATE TRIGGER audit_findings_closed_update BEFORE UPDATE ON audit_findings WHEN OLD.closed_ms IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'audit finding is closed and immutable'); END;
CREATE TRIGGER audit_findings_closed_delete BEFORE DELETE ON audit_findings WHEN OLD.closed_ms IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'audit finding is closed and immutable'); END;
CREATE TRIGGER audits_closed_update BEFORE UPDATE ON audits WHEN OLD.closed_ms IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'audit is closed and immutable'); END;
CREATE TRIGGER audits_closed_delete BEFORE DELETE ON audits WHEN OLD.closed_ms IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'audit is closed and immutable'); END;
--{{/sqlite}}
--{{postgres}}
CREATE FUNCTION audit_refuse_closed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.closed_ms IS NOT NULL THEN
        RAISE EXCEPTION '% % is closed and immutable', TG_TABLE_NAME, OLD.id USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER audit_findings_closed BEFORE UPDATE OR DELETE ON audit_findings FOR EACH ROW EXECUTE FUNCTION audit_refuse_closed();
CREATE TRIGGER audits_closed BEFORE UPDATE OR DELETE ON audits FOR EACH ROW EXECUTE FUNCTION audit_refuse_closed();
--{{/postgres}}
