-- isms.asset: the information assets of a scope (ISO/IEC 27005:2022 8.2,
-- ISO/IEC 27001:2022 A.5.9), with their owner, classification and their
-- confidentiality / integrity / availability requirements.  Risks link to
-- assets through isms.risk_asset (310_risk.sql).

CREATE TABLE isms.asset (
  id              bigserial PRIMARY KEY,
  scope           text NOT NULL REFERENCES isms.scope (id),
  name            text NOT NULL CONSTRAINT asset_name_not_blank CHECK (btrim(name) <> ''),
  kind            text NOT NULL DEFAULT 'information'
                  CONSTRAINT asset_kind_known CHECK (kind IN ('information', 'process', 'software',
                    'hardware', 'network', 'service', 'people', 'site', 'supplier', 'other')),
  description     text,
  owner           text NOT NULL CONSTRAINT asset_owner_not_blank CHECK (btrim(owner) <> ''),
  classification  text CONSTRAINT asset_classification_not_blank CHECK (btrim(classification) <> ''),
  confidentiality int CONSTRAINT asset_confidentiality_range CHECK (confidentiality BETWEEN 1 AND 5),
  integrity       int CONSTRAINT asset_integrity_range CHECK (integrity BETWEEN 1 AND 5),
  availability    int CONSTRAINT asset_availability_range CHECK (availability BETWEEN 1 AND 5),
  created_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT asset_scope_name_key UNIQUE (scope, name),
  -- Target of the same-scope foreign key of isms.risk_asset.
  CONSTRAINT asset_scope_id_key UNIQUE (scope, id)
);
COMMENT ON TABLE isms.asset IS
  'Information assets of a scope (ISO/IEC 27005 primary and supporting assets) with owner, classification and CIA requirements; risks link to them through isms.risk_asset';
COMMENT ON COLUMN isms.asset.id IS 'Asset id (generated)';
COMMENT ON COLUMN isms.asset.scope IS 'Scope (isms.scope.id) the asset belongs to';
COMMENT ON COLUMN isms.asset.name IS 'Asset name, unique in its scope';
COMMENT ON COLUMN isms.asset.kind IS
  'Kind of asset: information, process, software, hardware, network, service, people, site, supplier or other';
COMMENT ON COLUMN isms.asset.description IS 'What the asset is and where it lives';
COMMENT ON COLUMN isms.asset.owner IS 'Asset owner (ISO/IEC 27001 A.5.9): a person or role accountable for the asset';
COMMENT ON COLUMN isms.asset.classification IS
  'Classification under the organisation''s own scheme (A.5.12), for example public, internal, confidential, restricted; NULL while not classified';
COMMENT ON COLUMN isms.asset.confidentiality IS 'Confidentiality requirement, 1 (negligible) to 5 (very high); NULL while not assessed';
COMMENT ON COLUMN isms.asset.integrity IS 'Integrity requirement, 1 (negligible) to 5 (very high); NULL while not assessed';
COMMENT ON COLUMN isms.asset.availability IS 'Availability requirement, 1 (negligible) to 5 (very high); NULL while not assessed';
COMMENT ON COLUMN isms.asset.created_at IS 'When the asset was recorded';

SELECT pg_catalog.pg_extension_config_dump('isms.asset', '');
SELECT pg_catalog.pg_extension_config_dump('isms.asset_id_seq', '');
COMMENT ON SEQUENCE isms.asset_id_seq IS 'Ids of isms.asset (dumped with the table, so new ids continue after restored ones)';
