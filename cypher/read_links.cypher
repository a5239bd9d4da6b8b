// Which capabilities or markets each organisation links to.
MATCH (o:Organization)-[:{{rel}}]->(c:{{label}})
RETURN o.id AS id, collect(c.name) AS names
