-- E-sealings (issue 16): every time an approved document was sealed with an e-seal. The sealed PDF
-- is stored content-addressed (ESealing/SealedFiles: {data}/e-sealed/{sha256}.pdf); the ledger
-- entry on the seal's chain holds the document hash, pages, positions, certificate and time stamp.
CREATE TABLE e_sealings (
    id               TEXT PRIMARY KEY,
    application_id   TEXT NOT NULL REFERENCES applications (id),
    document_id      TEXT NOT NULL,
    seal_id          TEXT NOT NULL REFERENCES seals (id),
    document_sha256  TEXT NOT NULL,           -- the approved upload
    sealed_sha256    TEXT NOT NULL,           -- the sealed file
    field_name       TEXT NOT NULL,           -- the signature field in the PDF
    cert_serial      TEXT NOT NULL,
    pages            INTEGER NOT NULL,
    ledger_entry     BIGINT NOT NULL,
    sealed_by        TEXT NOT NULL,
    sealed_ms        BIGINT NOT NULL
);
CREATE INDEX e_sealings_application ON e_sealings (application_id);
CREATE INDEX e_sealings_sealed ON e_sealings (sealed_sha256);
