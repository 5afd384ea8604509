// hainet: the facts every question reads, restricted on the server to the evidence levels in $levels.
// The questions then decide coverage with the one rule of queries/coverage.py, so a Neo4j store and
// an in-memory graph answer alike.  A node or relationship without a provenance, or with one that is
// not in $known, counts as 'user' (graph.evidence.fact_level); a relationship counts only when both
// of its ends count.
// Parameters: $levels, the provenance values admitted, strongest first, e.g. ['stated'] for the
// document alone, ['stated', 'reported', 'curated'] with curation (graph.evidence.allowed_levels);
// $known, every evidence level (graph.evidence.EVIDENCE_LEVELS).
// In Neo4j Browser, set them first with: :params {levels: ['stated'], known: ['stated', 'reported',
// 'curated', 'user', 'example']}
MATCH (n:Region|Park|Department|Industry|DemandUnit|Need|Cooperation)
WHERE CASE WHEN n.provenance IN $known THEN n.provenance ELSE 'user' END IN $levels
RETURN 'node' AS part, labels(n) AS labels, properties(n) AS props, null AS source, null AS target
UNION ALL
MATCH (a:Region|Park|Department|Industry|DemandUnit|Need|Cooperation)
      -[r:LOCATED_IN|PART_OF|SPECIALISES_IN|HANDLES|HAS_NEED|IN_FIELD|PARTNER_IN|SUPPORTS|SERVES]->
      (b:Region|Park|Department|Industry|DemandUnit|Need|Cooperation)
WHERE CASE WHEN r.provenance IN $known THEN r.provenance ELSE 'user' END IN $levels
  AND CASE WHEN a.provenance IN $known THEN a.provenance ELSE 'user' END IN $levels
  AND CASE WHEN b.provenance IN $known THEN b.provenance ELSE 'user' END IN $levels
RETURN 'edge' AS part, [type(r)] AS labels, properties(r) AS props, a.key AS source, b.key AS target
