// The procedures the server offers, by name: FalkorDB answers with its own
// (db.idx.fulltext.*, db.meta.stats, algo.*); Neo4j 5 has no dbms.procedures().
CALL dbms.procedures() YIELD name
RETURN name
