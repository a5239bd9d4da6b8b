// Delete ties by key. row: [source, target, category]
UNWIND $rows AS row
MATCH (a:Organization {id: row[0]})-[r:{{type}} {category: row[2]}]->(b:Organization {id: row[1]})
DELETE r
