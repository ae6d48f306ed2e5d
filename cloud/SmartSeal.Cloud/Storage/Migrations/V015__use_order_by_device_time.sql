-- A use is out of order when its seq and its device time disagree with the token's latest use
-- (a lower seq made later, or a higher seq made earlier): the device's own records contradict
-- themselves. The order uses arrive in proves nothing: several cloud instances share a device's
-- messages, and a resend after a failover arrives after newer ones.
ALTER TABLE use_tokens ADD COLUMN last_use_ms BIGINT;
