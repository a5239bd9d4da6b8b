// Ties that the database does not hold yet (netmap has just read it), one
// batch of one type ({{type}} comes from netmap.schema.TIE_TYPES). CREATE
// skips MERGE's search among the ties already between the two organisations;
// should another client add the same tie meanwhile, the count check at the
// end of the load reports it and the next load removes the duplicate.
// row: [source, target, category, value, trust, communication, commitment,
//       mutual_benefit, since, until, exclusive, row]
UNWIND $rows AS row
MATCH (a:Organization {id: row[0]})
MATCH (b:Organization {id: row[1]})
CREATE (a)-[r:{{type}} {category: row[2]}]->(b)
SET r.value = toFloat(row[3]), r.trust = toFloat(row[4]),
    r.communication = toFloat(row[5]), r.commitment = toFloat(row[6]),
    r.mutual_benefit = toFloat(row[7]), r.since = row[8], r.until = row[9],
    r.exclusive = row[10], r.row = row[11]
