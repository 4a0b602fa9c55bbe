-- isms.cvss_risk_score: a proposed isms.risk_score for a CVSS vector.  This
-- is a CONVENTION OF THIS PROJECT, not part of CVSS: FIRST defines severity,
-- not risk.  Impact comes from the CVSS qualitative rating, likelihood from
-- how easily and how surely the vulnerability is exploited; both are scaled
-- to the size of the chosen risk matrix.  Documented in docs/reference/cvss.md.

CREATE FUNCTION isms.cvss_risk_score(vector isms.cvss, matrix text DEFAULT 'default')
RETURNS isms.risk_score
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, isms, pg_temp AS $$
DECLARE
  msize integer;
  v4 boolean := isms.cvss_version(vector) OPERATOR(pg_catalog.=) '4.0';
  av text;
  ac text;
  attack_req text;
  pr text;
  ui text;
  e text;
  likelihood5 integer := 1;
  impact5 integer;
BEGIN
  SELECT m.size INTO msize FROM isms.risk_matrix m WHERE m.id OPERATOR(pg_catalog.=) cvss_risk_score.matrix;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'risk matrix "%" does not exist', cvss_risk_score.matrix
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Matrices are the rows of isms.risk_matrix.';
  END IF;

  -- effective values: a modified (environmental) metric replaces its base metric
  av := coalesce(nullif(isms.cvss_metric(vector, 'MAV'), 'X'), isms.cvss_metric(vector, 'AV'));
  ac := coalesce(nullif(isms.cvss_metric(vector, 'MAC'), 'X'), isms.cvss_metric(vector, 'AC'));
  pr := coalesce(nullif(isms.cvss_metric(vector, 'MPR'), 'X'), isms.cvss_metric(vector, 'PR'));
  ui := coalesce(nullif(isms.cvss_metric(vector, 'MUI'), 'X'), isms.cvss_metric(vector, 'UI'));
  attack_req := CASE WHEN v4
                     THEN coalesce(nullif(isms.cvss_metric(vector, 'MAT'), 'X'), isms.cvss_metric(vector, 'AT'))
                     ELSE 'N' END;
  e := isms.cvss_metric(vector, 'E');

  -- likelihood on a 1..5 scale: 1, plus one for each of
  IF av OPERATOR(pg_catalog.=) 'N' THEN                                   -- reachable over the network
    likelihood5 := likelihood5 + 1;
  END IF;
  IF ac OPERATOR(pg_catalog.=) 'L' AND attack_req OPERATOR(pg_catalog.=) 'N' THEN  -- no special conditions
    likelihood5 := likelihood5 + 1;
  END IF;
  IF pr OPERATOR(pg_catalog.=) 'N' AND ui OPERATOR(pg_catalog.=) 'N' THEN  -- no account, no victim action
    likelihood5 := likelihood5 + 1;
  END IF;
  IF (v4 AND e OPERATOR(pg_catalog.=) 'A') OR (NOT v4 AND e IN ('H', 'F')) THEN  -- known exploitation or working exploit
    likelihood5 := likelihood5 + 1;
  ELSIF e OPERATOR(pg_catalog.=) 'U' THEN                                  -- no known exploit
    likelihood5 := greatest(likelihood5 - 1, 1);
  END IF;

  -- impact on a 1..5 scale: the qualitative severity rating
  impact5 := CASE isms.cvss_severity(vector)
               WHEN 'None' THEN 1 WHEN 'Low' THEN 2 WHEN 'Medium' THEN 3
               WHEN 'High' THEN 4 ELSE 5 END;

  -- scaled to the matrix: 1..5 onto 1..size
  RETURN isms.risk_score(greatest(1, ceil(likelihood5 * msize / 5.0)::integer),
                         greatest(1, ceil(impact5 * msize / 5.0)::integer));
END
$$;
COMMENT ON FUNCTION isms.cvss_risk_score(isms.cvss, text) IS
  'Project convention, not CVSS: proposes a risk score for a CVSS vector on a matrix ("default" unless named): impact from the severity rating (None..Critical -> 1..5), likelihood 1 plus network attack, low complexity, no privileges/interaction, known exploit (minus unproven), both scaled to the matrix size; 22023 unknown matrix';

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.cvss_risk_score', 'read', NULL);
