// One batch of ties of one type ({{type}} comes from netmap.schema.TIE_TYPES).
// The key of a tie is (source, target, type, category), so parallel ties of
// different categories stay distinct relationships. Whole numbers travel as
// integers and are stored as floats.
// $r: rows [source, target, category, value, trust, communication,
//     commitment, mutual_benefit, since, until, exclusive, row];
// $d: what the four qualities are divided by (100.0 when they travel as
//     whole hundredths, exactly; 1.0 when they travel as they are).
UNWIND $r AS x
MATCH (a:Organization {id: x[0]})
MATCH (b:Organization {id: x[1]})
MERGE (a)-[r:{{type}} {category: x[2]}]->(b)
SET r.value = toFloat(x[3]), r.trust = x[4] / $d, r.communication = x[5] / $d,
 r.commitment = x[6] / $d, r.mutual_benefit = x[7] / $d, r.since = x[8],
 r.until = x[9], r.exclusive = x[10], r.row = x[11]
