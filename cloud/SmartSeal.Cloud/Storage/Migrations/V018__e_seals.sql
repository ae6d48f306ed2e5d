-- Electronic seals (电子印章, issue 16): the electronic form of a seal in the one register. A seal
-- without a row here is physical only; 'both' is the electronic twin of a physical seal (it shares
-- the seals row: name, unit, type, level (scope) and custodian (keeper)); 'electronic' has no
-- metal seal, and the physical lifecycle refuses it. The private key lives on a PKCS#11 token
-- (key_label names it there); the certificate is the issuing CA's (Seals/Electronic/SealCertificateAuthority).
CREATE TABLE e_seals (
    seal_id         TEXT PRIMARY KEY REFERENCES seals (id),
    form            TEXT NOT NULL,           -- electronic | both
    state           TEXT NOT NULL,           -- requested | made | recorded | frozen | revoked (Seals/Electronic/ESealLifecycle)
    key_label       TEXT,                    -- label of the key pair on the token
    cert_serial     TEXT,                    -- hex serial of the current seal certificate
    cert_der        {{blob}},                -- the current seal certificate (DER)
    cert_not_after  BIGINT,                  -- its expiry (Unix ms)
    created_ms      BIGINT NOT NULL,
    updated_ms      BIGINT NOT NULL
);

-- Every seal certificate the development CA issued, and its revocation (the CRL is built from here).
CREATE TABLE e_seal_certificates (
    serial          TEXT PRIMARY KEY,        -- hex
    seal_id         TEXT NOT NULL REFERENCES seals (id),
    issued_ms       BIGINT NOT NULL,
    not_after_ms    BIGINT NOT NULL,
    revoked_ms      BIGINT,
    revoke_reason   TEXT
);
CREATE INDEX e_seal_certificates_seal ON e_seal_certificates (seal_id);
