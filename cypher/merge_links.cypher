// Link organisations to :Capability or :Market nodes so Bloom users can search
// them ({{label}} and {{rel}} are fixed by netmap). $r: rows [organisation id, name]
UNWIND $r AS x
MATCH (o:Organization {id: x[0]})
MERGE (c:{{label}} {name: x[1]})
MERGE (o)-[:{{rel}}]->(c)
