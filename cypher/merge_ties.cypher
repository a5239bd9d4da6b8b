// One batch of ties of one type ({{type}} comes from netmap.schema.TIE_TYPES).
// The key of a tie is (source, target, type, category), so parallel ties of
// different categories stay distinct relationships. Whole numbers travel as
// integers and are stored as floats.
// row: [source, target, category, value, trust, communication, commitment,
//       mutual_benefit, since, until, exclusive, row]
UNWIND $rows AS row
MATCH (a:Organization {id: row[0]})
MATCH (b:Organization {id: row[1]})
MERGE (a)-[r:{{type}} {category: row[2]}]->(b)
SET r.value = toFloat(row[3]), r.trust = toFloat(row[4]),
    r.communication = toFloat(row[5]), r.commitment = toFloat(row[6]),
    r.mutual_benefit = toFloat(row[7]), r.since = row[8], r.until = row[9],
    r.exclusive = row[10], r.row = row[11]
