// Drop a role label that an organisation no longer has in the files.
UNWIND $ids AS id
MATCH (o:Organization {id: id})
REMOVE o:{{label}}
