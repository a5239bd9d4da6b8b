// Unlink organisations from capabilities or markets they no longer list.
UNWIND $rows AS row
MATCH (o:Organization {id: row[0]})-[l:{{rel}}]->(c:{{label}} {name: row[1]})
DELETE l
