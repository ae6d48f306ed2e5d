-- The device registry's change feed: provisioning, key rotations and retirements in commit order.
-- Every cloud process reads it before it trusts a cached device (so an old key stops at once, in
-- every instance) and polls it to drop the broker sessions of rotated or retired devices.
CREATE TABLE device_changes (
    seq         {{autoid}},
    device_id   TEXT NOT NULL,
    change      TEXT NOT NULL,
    at_ms       BIGINT NOT NULL
);
