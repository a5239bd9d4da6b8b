// Every tie between organisations whose type is in the vocabulary ($types).
MATCH (a:Organization)-[r]->(b:Organization)
WHERE type(r) IN $types
RETURN a.id AS source, b.id AS target, type(r) AS type, properties(r) AS props
