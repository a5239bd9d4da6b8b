// The load markers the database holds (none unless a load is running or died).
MATCH (m:NetmapLoad)
RETURN m.token AS token, m.host AS host, m.pid AS pid, m.user AS user,
 m.started AS started, m.source AS source
