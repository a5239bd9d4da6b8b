// Delete ties by key. $r: rows [source, target, category]
UNWIND $r AS x
MATCH (a:Organization {id: x[0]})-[r:{{type}} {category: x[2]}]->(b:Organization {id: x[1]})
DELETE r
