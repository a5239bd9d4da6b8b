// One batch of organisations that share the same roles; {{labels}} is built
// from netmap.schema.ROLE_LABELS only. A null value removes the property.
// Whole numbers travel as integers and are stored as floats.
// row: [id, name, roles, focal, country, region, industry, capabilities,
//       markets, revenue, employees, clv, satisfaction, row]
UNWIND $rows AS row
MERGE (o:Organization {id: row[0]})
SET o.name = row[1], o.roles = row[2], o.focal = row[3], o.country = row[4],
    o.region = row[5], o.industry = row[6], o.capabilities = row[7],
    o.markets = row[8], o.revenue = toFloat(row[9]),
    o.employees = toFloat(row[10]), o.clv = toFloat(row[11]),
    o.satisfaction = toFloat(row[12]), o.row = row[13],
    o{{labels}}
