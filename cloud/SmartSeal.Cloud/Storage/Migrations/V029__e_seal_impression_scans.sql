-- Legacy-seal scans as the impression (issue 16 item 2, 印模扫描件): a keeper uploads a scan of a
-- metal seal's impression; the upload is kept as sent (with its SHA-256), beside the cleaned image
-- (white paper made transparent, PNG with alpha) that the sealing and the previews use. A new scan
-- replaces the current one (replaced_ms) and the old stays on record. Each e-seal chooses whether
-- its impression is drawn from its text ('rendered') or its current scan ('scan').
CREATE TABLE e_seal_impression_scans (
    id               TEXT PRIMARY KEY,
    seal_id          TEXT NOT NULL REFERENCES seals (id),
    original         {{blob}} NOT NULL,       -- the upload, byte for byte
    original_sha256  TEXT NOT NULL,
    content_type     TEXT NOT NULL,           -- image/png | image/jpeg
    cleaned_png      {{blob}} NOT NULL,       -- the ink on transparency, cropped to the ink
    width_px         INTEGER NOT NULL,        -- of the cleaned image
    height_px        INTEGER NOT NULL,
    width_um         INTEGER NOT NULL,        -- the impression's physical size (micrometres)
    height_um        INTEGER NOT NULL,
    ledger_entry     BIGINT NOT NULL,
    uploaded_by      TEXT NOT NULL,
    uploaded_ms      BIGINT NOT NULL,
    replaced_ms      BIGINT                   -- when a newer scan took its place
);
CREATE INDEX e_seal_impression_scans_seal ON e_seal_impression_scans (seal_id, uploaded_ms);

ALTER TABLE e_seals ADD COLUMN impression TEXT NOT NULL DEFAULT 'rendered'; -- rendered | scan
ALTER TABLE e_seals ADD COLUMN impression_scan TEXT;                         -- the current scan's id
