// Write analysis results back as node properties. The keys of row[1] are
// netmap_<name> property names checked by netmap; a null removes the property.
UNWIND $rows AS row
MATCH (o:Organization {id: row[0]})
SET o += row[1]
RETURN count(o) AS n
