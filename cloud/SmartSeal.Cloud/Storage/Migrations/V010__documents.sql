-- Document check (Documents/): the documents uploaded with an application, each page's reference
-- text (extracted from the PDF), and the verdicts given on photographed pages before a stamp.

CREATE TABLE application_documents (
    id              TEXT PRIMARY KEY,
    application_id  TEXT NOT NULL REFERENCES applications (id),
    name            TEXT NOT NULL,
    pages           INTEGER NOT NULL,
    bytes           BIGINT NOT NULL,
    sha256          TEXT NOT NULL,
    uploaded_by     TEXT NOT NULL,
    uploaded_ms     BIGINT NOT NULL
);
CREATE INDEX application_documents_application ON application_documents (application_id, uploaded_ms);

CREATE TABLE document_pages (
    document_id     TEXT NOT NULL REFERENCES application_documents (id),
    page            INTEGER NOT NULL,       -- 1-based
    text            TEXT NOT NULL,          -- the page's own text: the reference the photo's OCR is compared with
    PRIMARY KEY (document_id, page)
);

CREATE TABLE document_verdicts (
    id              {{autoid}},
    device_id       TEXT NOT NULL,
    photo_id        TEXT NOT NULL,
    attempt_id      TEXT NOT NULL,
    token_id        TEXT,
    application_id  TEXT,
    document_id     TEXT,
    page            INTEGER,
    verdict         TEXT NOT NULL,          -- ok | wrong-document | wrong-page | over-count | unreadable
    reasons         TEXT NOT NULL,          -- JSON array of what was checked and found
    elapsed_ms      BIGINT NOT NULL,        -- photo complete → verdict decided
    command_id      TEXT,                   -- the signed doc-verdict command sent to the device
    created_ms      BIGINT NOT NULL
);
CREATE UNIQUE INDEX document_verdicts_photo ON document_verdicts (device_id, photo_id);
CREATE INDEX document_verdicts_page ON document_verdicts (application_id, document_id, page, verdict);
