-- Devices, what they sent (events, positions, status), photos, commands and desired state.
-- Times are Unix milliseconds (BIGINT) in both databases; ids are text chosen by the protocol.

CREATE TABLE devices (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,             -- cabinet | lock | gate
    key_version     INTEGER NOT NULL,
    model           TEXT,
    firmware        TEXT,
    org_unit        TEXT,
    compartments    INTEGER NOT NULL DEFAULT 0,
    online          BOOLEAN NOT NULL DEFAULT FALSE,
    status_ms       BIGINT NOT NULL DEFAULT 0,  -- device time of the status that set online
    status_reason   TEXT,
    last_seen_ms    BIGINT NOT NULL DEFAULT 0,  -- server time of the last accepted message
    battery_percent INTEGER,
    last_fix_ms     BIGINT,                     -- device time of the latest believable fix
    last_lat_e7     INTEGER,
    last_lon_e7     INTEGER,
    last_accuracy_m INTEGER,
    created_ms      BIGINT NOT NULL,
    retired         BOOLEAN NOT NULL DEFAULT FALSE
);

-- Every accepted device message with a seq (events, telemetry, results, photo parts), once.
CREATE TABLE device_messages (
    id             {{autoid}},
    device_id      TEXT NOT NULL REFERENCES devices(id),
    seq            BIGINT NOT NULL,
    type           TEXT NOT NULL,
    topic          TEXT NOT NULL,
    device_ms      BIGINT NOT NULL,
    server_ms      BIGINT NOT NULL,
    body           TEXT NOT NULL,
    UNIQUE (device_id, seq)
);
CREATE INDEX device_messages_device_time ON device_messages (device_id, server_ms);
CREATE INDEX device_messages_type ON device_messages (type, server_ms);

-- Tracks: one row per accepted position report (device time and server time).
CREATE TABLE positions (
    id          {{autoid}},
    device_id   TEXT NOT NULL REFERENCES devices(id),
    seq         BIGINT NOT NULL,
    device_ms   BIGINT NOT NULL,
    server_ms   BIGINT NOT NULL,
    lat_e7      INTEGER NOT NULL,
    lon_e7      INTEGER NOT NULL,
    accuracy_m  INTEGER NOT NULL,
    speed_cms   INTEGER,
    course_cdeg INTEGER,
    moving      BOOLEAN NOT NULL DEFAULT FALSE,
    future      BOOLEAN NOT NULL DEFAULT FALSE,   -- device time was ahead of server time: kept, never "latest"
    UNIQUE (device_id, seq)
);
CREATE INDEX positions_track ON positions (device_id, device_ms);

-- Messages refused at ingest (bad MAC, unknown device, malformed, wrong direction...): evidence for alarms and audits.
CREATE TABLE refused_messages (
    id        {{autoid}},
    device_id TEXT,
    topic     TEXT NOT NULL,
    reason    TEXT NOT NULL,
    detail    TEXT,
    bytes     INTEGER NOT NULL,
    server_ms BIGINT NOT NULL
);
CREATE INDEX refused_messages_time ON refused_messages (server_ms);

-- Content-addressed photos (SHA-256 of the JPEG); several references may share one blob.
CREATE TABLE photos (
    sha256      TEXT PRIMARY KEY,
    bytes       INTEGER NOT NULL,
    created_ms  BIGINT NOT NULL
);
CREATE TABLE photo_refs (
    device_id   TEXT NOT NULL REFERENCES devices(id),
    photo_id    TEXT NOT NULL,
    sha256      TEXT NOT NULL REFERENCES photos(sha256),
    purpose     TEXT NOT NULL,
    attempt_id  TEXT,
    device_ms   BIGINT NOT NULL,
    server_ms   BIGINT NOT NULL,
    PRIMARY KEY (device_id, photo_id)
);

-- Alarms: at most one active per device and type (partial unique index).
CREATE TABLE alarms (
    id           {{autoid}},
    device_id    TEXT NOT NULL,
    type         TEXT NOT NULL,
    severity     TEXT NOT NULL,
    compartment  INTEGER NOT NULL DEFAULT 0,
    active       BOOLEAN NOT NULL,
    detail       TEXT,
    occurrences  INTEGER NOT NULL DEFAULT 1,
    raised_ms    BIGINT NOT NULL,
    last_ms      BIGINT NOT NULL,
    acked_by     TEXT,
    acked_ms     BIGINT,
    ack_comment  TEXT,
    cleared_by   TEXT,
    cleared_ms   BIGINT,
    clear_comment TEXT
);
CREATE UNIQUE INDEX alarms_one_active ON alarms (device_id, type, compartment) WHERE active;
CREATE INDEX alarms_time ON alarms (raised_ms);

-- Commands sent to devices: the counter is the device's replay-guard counter (per device, increasing).
CREATE TABLE commands (
    id            TEXT PRIMARY KEY,
    device_id     TEXT NOT NULL REFERENCES devices(id),
    type          TEXT NOT NULL,
    counter       BIGINT NOT NULL,
    body          TEXT NOT NULL,
    issued_ms     BIGINT NOT NULL,
    expires_ms    BIGINT NOT NULL,
    sent_ms       BIGINT,
    status        TEXT NOT NULL,             -- queued | sent | ok | refused | expired
    result_reason TEXT,
    result_detail TEXT,
    completed_ms  BIGINT,
    requested_by  TEXT,
    UNIQUE (device_id, counter)
);
CREATE INDEX commands_pending ON commands (device_id, status);

CREATE TABLE device_counters (
    device_id       TEXT PRIMARY KEY REFERENCES devices(id),
    command_counter BIGINT NOT NULL
);

-- The retained desired state per device (what it applies first after every reconnect).
CREATE TABLE desired_states (
    device_id    TEXT PRIMARY KEY REFERENCES devices(id),
    version      BIGINT NOT NULL,
    enabled      BOOLEAN NOT NULL,
    token        TEXT,
    revoked      TEXT,
    updated_ms   BIGINT NOT NULL,
    updated_by   TEXT,
    applied_version BIGINT NOT NULL DEFAULT 0,
    applied_ms   BIGINT
);
