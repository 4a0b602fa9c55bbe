
-- Last: the privilege model over every object that exists now.
SELECT isms.reapply_security();
