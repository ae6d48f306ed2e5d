-- Remote print of e-sealed documents (issue 16 item 7, 远程电子印章打印): every numbered copy sent
-- to a printer. The copy (the sealed PDF with "第 n/N 份" on every page) is not kept: its SHA-256
-- and the CUPS job are, beside the ledger entry on the seal's chain.
CREATE TABLE e_seal_prints (
    id               TEXT PRIMARY KEY,
    sealing_id       TEXT NOT NULL REFERENCES e_sealings (id),
    application_id   TEXT NOT NULL REFERENCES applications (id),
    seal_id          TEXT NOT NULL REFERENCES seals (id),
    copy_no          INTEGER NOT NULL,
    printer          TEXT NOT NULL,
    job_id           TEXT NOT NULL,
    printed_sha256   TEXT NOT NULL,
    ledger_entry     BIGINT NOT NULL,
    printed_by       TEXT NOT NULL,
    printed_ms       BIGINT NOT NULL,
    UNIQUE (sealing_id, copy_no)
);
CREATE INDEX e_seal_prints_application ON e_seal_prints (application_id);
