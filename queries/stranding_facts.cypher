// hainet: the facts single points of failure read (queries/hubs.py, single_points_of_failure),
// restricted on the server to the evidence levels in $levels: each need with its demand unit and
// industry, the live cooperations (status in $live) that SERVES that unit and are IN_FIELD that
// industry itself, and the regions, parks and departments that are PARTNER_IN or SUPPORTS them.
// Whether a need is covered, and by whom, is still decided in Python by the one rule
// (queries._facts.Facts.covering, as queries/coverage.py uses it): this query only leaves out the
// facts that rule cannot reach.  Nodes carry their key, names, provenance and status; relationships
// their provenance.  The rows have the shape of facts_at_level.cypher.
// A node or relationship without a provenance, or with one that is not in $known, counts as 'user'
// (graph.evidence.fact_level).
// Parameters: $levels (graph.evidence.allowed_levels), $known (graph.evidence.EVIDENCE_LEVELS),
// $live (queries._facts.LIVE_STATUSES).
MATCH (u:DemandUnit)-[h:HAS_NEED]->(n:Need)-[f:IN_FIELD]->(i:Industry)
WHERE all(x IN [u, h, n, f, i] WHERE CASE WHEN x.provenance IN $known THEN x.provenance ELSE 'user' END IN $levels)
MATCH (u)<-[s:SERVES]-(c:Cooperation)-[g:IN_FIELD]->(i)
WHERE c.status IN $live
  AND all(x IN [s, c, g] WHERE CASE WHEN x.provenance IN $known THEN x.provenance ELSE 'user' END IN $levels)
MATCH (p:Region|Park|Department)-[r:PARTNER_IN|SUPPORTS]->(c)
WHERE all(x IN [p, r] WHERE CASE WHEN x.provenance IN $known THEN x.provenance ELSE 'user' END IN $levels)
WITH collect(DISTINCT u) + collect(DISTINCT n) + collect(DISTINCT i) + collect(DISTINCT c) + collect(DISTINCT p) AS nodes,
     collect(DISTINCT h) + collect(DISTINCT f) + collect(DISTINCT s) + collect(DISTINCT g) + collect(DISTINCT r) AS rels
UNWIND [x IN nodes | ['node', labels(x), x {.key, .name_zh, .name_en, .provenance, .status}, null, null]]
     + [r IN rels | ['edge', [type(r)], r {.provenance}, startNode(r).key, endNode(r).key]] AS row
RETURN row[0] AS part, row[1] AS labels, row[2] AS props, row[3] AS source, row[4] AS target
