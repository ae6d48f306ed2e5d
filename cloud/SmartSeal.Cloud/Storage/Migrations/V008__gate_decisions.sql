-- Edge gates' signed face-match decisions (who stood at which cabinet, with what evidence).
CREATE TABLE gate_decisions (
    id          {{autoid}},
    gate_id     TEXT NOT NULL,
    seq         BIGINT NOT NULL,
    cabinet_id  TEXT NOT NULL,
    subject     TEXT NOT NULL,
    score       INTEGER NOT NULL,           -- cosine x 10000
    margin      INTEGER NOT NULL,           -- top-1 minus top-2, x 10000
    liveness    INTEGER NOT NULL,           -- x 10000
    frames      INTEGER NOT NULL,
    photo_id    TEXT,
    templates   TEXT,
    device_ms   BIGINT NOT NULL,
    server_ms   BIGINT NOT NULL,
    accepted    BOOLEAN NOT NULL,           -- from a registered gate, about a registered cabinet
    reason      TEXT,
    UNIQUE (gate_id, seq)
);
CREATE INDEX gate_decisions_cabinet ON gate_decisions (cabinet_id, server_ms);
