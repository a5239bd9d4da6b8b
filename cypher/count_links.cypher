MATCH (:Organization)-[l:{{rel}}]->(:{{label}})
RETURN count(l) AS n
