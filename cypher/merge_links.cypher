// Link organisations to :Capability or :Market nodes so Bloom users can search
// them ({{label}} and {{rel}} are fixed by netmap). row: [organisation id, name]
UNWIND $rows AS row
MATCH (o:Organization {id: row[0]})
MERGE (c:{{label}} {name: row[1]})
MERGE (o)-[:{{rel}}]->(c)
