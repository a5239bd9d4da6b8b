// Give a parameter back as the server stored it: netmap checks with it that
// text arrives unchanged on a server that writes parameters into the query.
RETURN $v AS v
