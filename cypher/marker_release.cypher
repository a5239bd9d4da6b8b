// Remove the load marker with token $token (a load removes its own when it
// ends; the token of a marker shown to a user clears exactly that one).
MATCH (m:NetmapLoad)
WHERE m.token = $token
DELETE m
RETURN count(*) AS n
