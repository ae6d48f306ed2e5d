-- Each checkpoint's RFC 3161 time-stamp token (DER, base64) from the cloud's own time-stamping
-- authority: the same token goes to the witness outside the database (Ledger/ILedgerWitness.cs).
ALTER TABLE ledger_checkpoints ADD COLUMN timestamp_token TEXT;
