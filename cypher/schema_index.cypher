// Servers without CREATE CONSTRAINT: a plain index on the key (created once).
CREATE INDEX FOR (n:{{label}}) ON (n.{{key}})
