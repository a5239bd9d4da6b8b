// Neo4j 5: one node per key. {{label}} and {{key}} come from netmap's vocabulary.
CREATE CONSTRAINT netmap_{{label}}_{{key}} IF NOT EXISTS
FOR (n:{{label}}) REQUIRE n.{{key}} IS UNIQUE
