// The row-at-a-time way (benchmark baseline only): one tie per transaction.
MATCH (a:Organization {id: $source})
MATCH (b:Organization {id: $target})
MERGE (a)-[r:{{type}} {category: $category}]->(b)
SET r.value = $value, r.trust = $trust, r.communication = $communication,
    r.commitment = $commitment, r.mutual_benefit = $mutual_benefit,
    r.since = $since, r.until = $until, r.exclusive = $exclusive, r.row = $row
