-- Part of 0.1.0 -> 0.2.0 for sql/230_soa.sql (issue 18): the business need
-- of an SoA entry and the date and validity of its evidence, added last as
-- in the install script's CREATE TABLE.
ALTER TABLE isms.soa_entry
  ADD COLUMN business_need text CONSTRAINT soa_entry_business_need_not_blank CHECK (btrim(business_need) <> ''),
  ADD COLUMN evidence_date date CONSTRAINT soa_entry_evidence_date_finite CHECK (isfinite(evidence_date)),
  ADD COLUMN evidence_validity interval NOT NULL DEFAULT '1 year'
    CONSTRAINT soa_entry_evidence_validity_range
    CHECK (evidence_validity >= interval '1 day' AND evidence_validity <= interval '10 years');
COMMENT ON COLUMN isms.soa_entry.business_need IS
  'Business need for which the control is included (one of the reasons ISO/IEC 27001 6.1.3 accepts, beside a treated risk and a requirement); NULL when none is stated';
COMMENT ON COLUMN isms.soa_entry.evidence_date IS
  'Date the evidence was produced or last checked; NULL when undated (then the evidence counts as stale, see isms.soa_stale_evidence)';
COMMENT ON COLUMN isms.soa_entry.evidence_validity IS
  'How long the evidence stays valid after evidence_date (1 day to 10 years, default 1 year)';
