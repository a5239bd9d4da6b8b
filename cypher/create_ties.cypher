// Ties that the database does not hold yet (netmap has just read it), one
// batch of one type ({{type}} comes from netmap.schema.TIE_TYPES). CREATE
// skips MERGE's search among the ties already between the two organisations;
// should another client add the same tie meanwhile, the count check at the
// end of the load reports it and the next load removes the duplicate.
// One property map: a null in it sets nothing. Short names keep the message
// small (the test server caps its size).
// $r: rows [source, target, category, value, trust, communication,
//     commitment, mutual_benefit, since, until, exclusive, row];
// $d: what the four qualities are divided by (100.0 when they travel as
//     whole hundredths, exactly; 1.0 when they travel as they are).
UNWIND $r AS x
MATCH (a:Organization {id: x[0]})
MATCH (b:Organization {id: x[1]})
CREATE (a)-[:{{type}} {category: x[2], value: toFloat(x[3]), trust: x[4] / $d,
 communication: x[5] / $d, commitment: x[6] / $d, mutual_benefit: x[7] / $d,
 since: x[8], until: x[9], exclusive: x[10], row: x[11]}]->(b)
