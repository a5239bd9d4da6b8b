MATCH (c:{{label}})
RETURN count(c) AS nodes, count(DISTINCT c.name) AS names
