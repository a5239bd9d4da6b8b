// Put the load marker into the database, unless it holds one already, and
// return the marker it holds now: a load goes ahead only if it is its own.
// One marker per database ($lock); a uniqueness constraint on
// :NetmapLoad(lock) makes MERGE safe against a concurrent load on Neo4j.
// $m: {token, host, pid, user, started, source}
MERGE (m:NetmapLoad {lock: $lock})
ON CREATE SET m += $m
RETURN m.token AS token, m.host AS host, m.pid AS pid, m.user AS user,
 m.started AS started, m.source AS source
