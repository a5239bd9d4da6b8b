MATCH (o:Organization)
RETURN count(o) AS nodes, count(DISTINCT o.id) AS ids
