-- Alarm notifications: the webhook outbox (one row per alarm change and subscription, written in the
-- transaction that changed the alarm, so a restart loses none), and indexes for the alarm API's filters.
CREATE TABLE alarm_deliveries (
    id              {{autoid}},
    alarm_id        BIGINT NOT NULL,
    change_kind     TEXT NOT NULL,             -- raised | acknowledged | cleared
    webhook         TEXT NOT NULL,             -- subscription name (not its URL: robot URLs carry tokens)
    format          TEXT NOT NULL,             -- generic | ding-talk | we-com | feishu
    payload         TEXT NOT NULL,             -- the change as JSON; rendered and signed per format when sent
    status          TEXT NOT NULL,             -- pending | delivered | failed
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms BIGINT NOT NULL,           -- also the claim: a sender moves it past its timeout first
    last_status     INTEGER,                   -- HTTP status of the last attempt
    last_error      TEXT,
    created_ms      BIGINT NOT NULL,
    delivered_ms    BIGINT
);
CREATE INDEX alarm_deliveries_due ON alarm_deliveries (next_attempt_ms) WHERE status = 'pending';
CREATE INDEX alarm_deliveries_alarm ON alarm_deliveries (alarm_id);

CREATE INDEX alarms_device ON alarms (device_id, raised_ms);
CREATE INDEX alarms_type ON alarms (type, raised_ms);
