// Set one number exactly on a server that writes parameters into the query
// with six decimals (the Bolt test server): the number travels as a whole
// mantissa and a binary exponent. {{key}} is a property key netmap checked.
// $r: rows [organisation id, mantissa, exponent]
UNWIND $r AS x
MATCH (o:Organization {id: x[0]})
SET o.{{key}} = x[1] * 2.0 ^ x[2]
