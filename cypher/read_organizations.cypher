// Every organisation with its labels and properties.
MATCH (o:Organization)
RETURN o.id AS id, labels(o) AS labels, properties(o) AS props
