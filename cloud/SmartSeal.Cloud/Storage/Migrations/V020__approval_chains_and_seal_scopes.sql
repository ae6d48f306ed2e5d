-- Approval routing configured by keepers (Applications/ApprovalChains, SealScopes).

-- A chain keepers configure in the portal: which applications it serves (seal types, level, purpose
-- categories, amount) and its steps, as one JSON definition. Lower priority is tried first; the
-- chains of the configuration file and the built-in default come after these.
CREATE TABLE approval_chains (
    name         TEXT PRIMARY KEY,
    priority     INTEGER NOT NULL,
    definition   TEXT NOT NULL,           -- JSON ChainDefinition
    updated_by   TEXT NOT NULL,
    updated_ms   BIGINT NOT NULL
);

-- A seal's scope of authority: what it may be used for and who may apply; enforced when applying.
CREATE TABLE seal_scopes (
    seal_id                TEXT PRIMARY KEY REFERENCES seals (id),
    purposes               TEXT NOT NULL,   -- JSON [category]; empty: any purpose
    document_types         TEXT NOT NULL,   -- JSON [type]; empty: any document type
    units                  TEXT NOT NULL,   -- JSON [unit id]: applicants of these subtrees; empty: anyone on the seal's line
    posts                  TEXT NOT NULL,   -- JSON [post]: applicants holding one of these posts; empty: any post
    allow_authorisation    BOOLEAN NOT NULL, -- an authorisation document (授权文件) admits a purpose / document type outside the scope
    updated_by             TEXT NOT NULL,
    updated_ms             BIGINT NOT NULL
);

-- What an application is for, beyond its free-text purpose: the routing and the scope check read these.
ALTER TABLE applications ADD COLUMN category TEXT;          -- purpose category ("contract", "finance", …)
ALTER TABLE applications ADD COLUMN amount BIGINT;          -- contract amount in yuan, when there is one
ALTER TABLE applications ADD COLUMN authorisation TEXT;     -- the authorisation document (授权文件) for out-of-scope use
