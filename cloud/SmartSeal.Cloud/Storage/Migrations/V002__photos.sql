-- Photo uploads (manifest + chunks, each its own device message) and their outcome. A row stays
-- after the upload closes (stored, refused, expired) as a tombstone, so parts that arrive late
-- can never reopen it.
CREATE TABLE photo_uploads (
    device_id       TEXT NOT NULL REFERENCES devices(id),
    photo_id        TEXT NOT NULL,
    status          TEXT NOT NULL,      -- receiving | stored | refused | expired
    purpose         TEXT,               -- NULL until the manifest arrived (chunks may come first)
    attempt_id      TEXT,
    size            INTEGER,
    chunk_size      INTEGER,
    chunk_count     INTEGER,
    mac             TEXT,               -- hex HMAC(K_dev, jpeg) from the manifest
    manifest_seq    BIGINT,
    device_ms       BIGINT,             -- device time of the manifest
    chunks_received INTEGER NOT NULL DEFAULT 0,
    bytes_received  BIGINT NOT NULL DEFAULT 0,
    started_ms      BIGINT NOT NULL,    -- server time of the first part
    last_ms         BIGINT NOT NULL,    -- server time of the latest part (the timeout counts from here)
    closed_ms       BIGINT,
    sha256          TEXT,
    reason          TEXT,
    PRIMARY KEY (device_id, photo_id)
);
CREATE INDEX photo_uploads_open ON photo_uploads (last_ms) WHERE status = 'receiving';

-- Which device message holds which chunk of an open upload. The bytes stay in device_messages
-- (stored and acknowledged there already); this is only the index to find them again.
CREATE TABLE photo_chunks (
    device_id   TEXT NOT NULL,
    photo_id    TEXT NOT NULL,
    chunk_index INTEGER NOT NULL,
    seq         BIGINT NOT NULL,
    bytes       INTEGER NOT NULL,
    PRIMARY KEY (device_id, photo_id, chunk_index)
);

CREATE INDEX photo_refs_attempt ON photo_refs (attempt_id) WHERE attempt_id IS NOT NULL;
CREATE INDEX photo_refs_sha256 ON photo_refs (sha256);
