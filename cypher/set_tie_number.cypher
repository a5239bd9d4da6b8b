// Set one number of a tie exactly (see set_organization_number.cypher);
// {{type}} comes from netmap.schema.TIE_TYPES, {{key}} is a tie property.
// $r: rows [source, target, category, mantissa, exponent]
UNWIND $r AS x
MATCH (:Organization {id: x[0]})-[t:{{type}} {category: x[2]}]->(:Organization {id: x[1]})
SET t.{{key}} = x[3] * 2.0 ^ x[4]
