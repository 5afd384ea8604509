// Whether the store holds any dated fact: a validity range ($fields) on a node or a relationship,
// or the status history of a cooperation.  Without one, every date gives the same graph.
RETURN EXISTS { MATCH (n) WHERE any(f IN $fields WHERE n[f] IS NOT NULL) }
    OR EXISTS { MATCH ()-[r]->() WHERE any(f IN $fields WHERE r[f] IS NOT NULL) }
    OR EXISTS { MATCH (c:Cooperation) WHERE c.status_history IS NOT NULL } AS dated
