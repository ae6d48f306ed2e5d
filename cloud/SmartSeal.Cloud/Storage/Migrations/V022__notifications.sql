-- Notifications (Notifications/): the portal inbox, per-user channel choices and the outbox of
-- work notices to DingTalk / WeCom / Feishu.

-- One notice to one person. Names are stored as they were when it was sent (a seal renamed later
-- does not rewrite old notices); the title is rendered in the reader's language when read.
CREATE TABLE notices (
    id              {{autoid}},
    recipient       TEXT NOT NULL,
    kind            TEXT NOT NULL,
    actor_name      TEXT,
    seal_name       TEXT,
    subject_id      TEXT,                   -- the application, checkout or alarm it is about
    detail          TEXT,
    link            TEXT,
    dedupe_key      TEXT,                   -- a sweeper's "once per thing" key; NULL for one-off events
    created_ms      BIGINT NOT NULL,
    read_ms         BIGINT
);
CREATE INDEX notices_recipient ON notices (recipient, id);
CREATE UNIQUE INDEX notices_once ON notices (recipient, dedupe_key) WHERE dedupe_key IS NOT NULL;

-- A person's choice: the language of their work notices and which channels they want, with their
-- ids on those platforms (DingTalk userid, WeCom UserID, Feishu user_id).
CREATE TABLE notice_settings (
    login           TEXT PRIMARY KEY,
    language        TEXT NOT NULL,
    channels        TEXT NOT NULL,          -- comma-separated: dingtalk, wecom, feishu
    dingtalk_user   TEXT,
    wecom_user      TEXT,
    feishu_user     TEXT,
    updated_ms      BIGINT NOT NULL
);

-- One work notice to send on one channel; retried with backoff until delivered or failed.
CREATE TABLE notice_deliveries (
    id              {{autoid}},
    notice_id       BIGINT NOT NULL REFERENCES notices (id),
    channel         TEXT NOT NULL,
    channel_user    TEXT NOT NULL,
    language        TEXT NOT NULL,          -- the recipient's choice when it was queued
    title           TEXT NOT NULL,
    body            TEXT NOT NULL,
    status          TEXT NOT NULL,          -- pending, delivered, failed
    attempts        INTEGER NOT NULL,
    next_attempt_ms BIGINT NOT NULL,
    last_error      TEXT,
    created_ms      BIGINT NOT NULL,
    delivered_ms    BIGINT
);
CREATE INDEX notice_deliveries_due ON notice_deliveries (status, next_attempt_ms);
CREATE INDEX notice_deliveries_notice ON notice_deliveries (notice_id);
