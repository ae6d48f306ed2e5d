-- Commands and desired state (cloud/README.md "Commands and desired state").
-- A command is signed once, when it is requested: its counter and issued-at are inside the MAC, so
-- the exact envelope is kept and published as is (never re-signed); one past its expiry is never sent.
ALTER TABLE commands ADD COLUMN envelope TEXT;

-- The desired-state version a set-state command carries (remote disable/enable), for the portal.
ALTER TABLE commands ADD COLUMN desired_version BIGINT;

-- What the sweep and the delivery on reconnect look for.
CREATE INDEX commands_open_expiry ON commands (expires_ms) WHERE status IN ('queued', 'sent');

-- Why the desired state last changed (remote disable reason, "enabled again after recovery"...).
ALTER TABLE desired_states ADD COLUMN reason TEXT;
