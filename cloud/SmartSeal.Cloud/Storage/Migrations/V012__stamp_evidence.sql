-- Documents/ after the stamp: the lock's after-photo compared with its before-photo (same page, now
-- stamped), and the stamps locks reported on a checked page (the page's stamp count).

CREATE TABLE stamp_evidence_checks (
    id              {{autoid}},
    device_id       TEXT NOT NULL,
    after_photo_id  TEXT NOT NULL,
    attempt_id      TEXT NOT NULL,
    before_photo_id TEXT,
    application_id  TEXT,
    document_id     TEXT,
    page            INTEGER,
    result          TEXT NOT NULL,          -- match | other-page | no-stamp | unreadable | no-before
    flagged         BOOLEAN NOT NULL,       -- anything but match: the auditor looks at it
    reasons         TEXT NOT NULL,          -- JSON array of what was checked and found
    ink_before      INTEGER NOT NULL,       -- red-ink pixels per 10 000 of the page, before and after
    ink_after       INTEGER NOT NULL,
    created_ms      BIGINT NOT NULL
);
CREATE UNIQUE INDEX stamp_evidence_checks_photo ON stamp_evidence_checks (device_id, after_photo_id);
CREATE INDEX stamp_evidence_checks_attempt ON stamp_evidence_checks (device_id, attempt_id);

CREATE TABLE document_stamps (
    device_id       TEXT NOT NULL,
    attempt_id      TEXT NOT NULL,
    application_id  TEXT,
    document_id     TEXT NOT NULL,
    page            INTEGER NOT NULL,
    at_ms           BIGINT NOT NULL,
    PRIMARY KEY (device_id, attempt_id)
);
CREATE INDEX document_stamps_page ON document_stamps (document_id, page);
