-- Face enrolment and the gates' cabinets (Faces/).

-- One active enrolment per person (partial unique index); a new enrolment revokes the previous one.
-- sealed = AES-256-GCM(nonce 12 | ciphertext | tag 16) of the templates (512 float32 each), keyed
-- from the master key and bound to login and recipe; recipe names the model/preprocessing version.
CREATE TABLE face_enrolments (
    id           {{autoid}},
    login        TEXT NOT NULL REFERENCES users (login),
    recipe       TEXT NOT NULL,
    templates    INTEGER NOT NULL,
    sealed       {{blob}} NOT NULL,
    enrolled_by  TEXT NOT NULL,
    enrolled_ms  BIGINT NOT NULL,
    expires_ms   BIGINT NOT NULL,
    revoked_ms   BIGINT,
    revoked_by   TEXT
);
CREATE UNIQUE INDEX face_enrolments_active ON face_enrolments (login) WHERE revoked_ms IS NULL;

-- The cabinet each gate stands at: the gate learns it with its templates.
CREATE TABLE gate_cabinets (
    gate_id     TEXT PRIMARY KEY REFERENCES devices (id),
    cabinet_id  TEXT NOT NULL REFERENCES devices (id),
    updated_by  TEXT NOT NULL,
    updated_ms  BIGINT NOT NULL
);
