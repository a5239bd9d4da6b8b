// Indexes that exist (used where CREATE INDEX has no IF NOT EXISTS).
CALL db.indexes() YIELD label, properties
RETURN label, properties
