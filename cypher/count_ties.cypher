MATCH (:Organization)-[r]->(:Organization)
WHERE type(r) IN $types
RETURN type(r) AS type, count(r) AS n
