// --prune: organisations no longer in the files, with all their relationships.
UNWIND $ids AS id
MATCH (o:Organization {id: id})
DETACH DELETE o
