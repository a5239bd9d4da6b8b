// Capability or market nodes that no organisation links to any more.
MATCH (c:{{label}})
OPTIONAL MATCH (c)<-[l:{{rel}}]-(:Organization)
WITH c, count(l) AS holders
WHERE holders = 0
DELETE c
RETURN count(*) AS deleted
