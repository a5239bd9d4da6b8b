// Unlink organisations from capabilities or markets they no longer list.
// $r: rows [organisation id, name]
UNWIND $r AS x
MATCH (o:Organization {id: x[0]})-[l:{{rel}}]->(c:{{label}} {name: x[1]})
DELETE l
