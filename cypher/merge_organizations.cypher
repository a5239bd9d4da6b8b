// One batch of organisations that share the same roles; {{labels}} is built
// from netmap.schema.ROLE_LABELS only. A null value removes the property.
// Whole numbers travel as integers and are stored as floats.
// $r: rows [id, name, roles, focal, country, region, industry, capabilities,
//     markets, revenue, employees, clv, satisfaction, risk, row]
UNWIND $r AS x
MERGE (o:Organization {id: x[0]})
SET o.name = x[1], o.roles = x[2], o.focal = x[3], o.country = x[4],
 o.region = x[5], o.industry = x[6], o.capabilities = x[7], o.markets = x[8],
 o.revenue = toFloat(x[9]), o.employees = toFloat(x[10]),
 o.clv = toFloat(x[11]), o.satisfaction = toFloat(x[12]), o.risk = toFloat(x[13]),
 o.row = x[14],
 o{{labels}}
