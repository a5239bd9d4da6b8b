// Which server is this? Neo4j answers with its name, version and edition;
// servers without the dbms procedures (FalkorDB) fail this query.
CALL dbms.components() YIELD name, versions, edition
RETURN name, versions, edition
