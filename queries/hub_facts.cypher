// hainet: the facts the hub measures read (queries/hubs.py, hub_scores), restricted on the server to the
// evidence levels in $levels: every region, park, department and demand unit; the live cooperations
// (status in $live); the PARTNER_IN and SUPPORTS of a region, park or department into them, and the
// SERVES from them to a demand unit.  Nothing else of the graph travels.  Nodes carry their key, names,
// provenance (and a cooperation its status); relationships their provenance.  The rows have the shape
// of facts_at_level.cypher, so the same Python builds the graph and the same code measures it.
// A node or relationship without a provenance, or with one that is not in $known, counts as 'user'
// (graph.evidence.fact_level); a relationship counts only when both of its ends count.
// Parameters: $levels (graph.evidence.allowed_levels), $known (graph.evidence.EVIDENCE_LEVELS),
// $live (queries._facts.LIVE_STATUSES).
MATCH (a:Region|Park|Department|DemandUnit)
WHERE CASE WHEN a.provenance IN $known THEN a.provenance ELSE 'user' END IN $levels
RETURN 'node' AS part, labels(a) AS labels, a {.key, .name_zh, .name_en, .provenance} AS props,
       null AS source, null AS target
UNION ALL
MATCH (c:Cooperation)
WHERE c.status IN $live
  AND CASE WHEN c.provenance IN $known THEN c.provenance ELSE 'user' END IN $levels
RETURN 'node' AS part, labels(c) AS labels, c {.key, .name_zh, .name_en, .provenance, .status} AS props,
       null AS source, null AS target
UNION ALL
MATCH (p:Region|Park|Department)-[r:PARTNER_IN|SUPPORTS]->(c:Cooperation)
WHERE c.status IN $live
  AND CASE WHEN r.provenance IN $known THEN r.provenance ELSE 'user' END IN $levels
  AND CASE WHEN p.provenance IN $known THEN p.provenance ELSE 'user' END IN $levels
  AND CASE WHEN c.provenance IN $known THEN c.provenance ELSE 'user' END IN $levels
RETURN 'edge' AS part, [type(r)] AS labels, r {.provenance} AS props, p.key AS source, c.key AS target
UNION ALL
MATCH (c:Cooperation)-[r:SERVES]->(u:DemandUnit)
WHERE c.status IN $live
  AND CASE WHEN r.provenance IN $known THEN r.provenance ELSE 'user' END IN $levels
  AND CASE WHEN c.provenance IN $known THEN c.provenance ELSE 'user' END IN $levels
  AND CASE WHEN u.provenance IN $known THEN u.provenance ELSE 'user' END IN $levels
RETURN 'edge' AS part, [type(r)] AS labels, r {.provenance} AS props, c.key AS source, u.key AS target
