// hainet: the facts every question reads, restricted on the server to the evidence levels in $levels.
// The questions then decide coverage with the one rule of queries/coverage.py, so a Neo4j store and
// an in-memory graph answer alike.  A node or relationship without a provenance counts as 'user'
// (graph.evidence.fact_level); a relationship counts only when both of its ends count.
// Parameters: $levels, the provenance values admitted, strongest first, e.g. ['stated'] for the
// document alone, ['stated', 'reported', 'curated'] with curation (graph.evidence.allowed_levels).
// In Neo4j Browser, set them first with: :param levels => ['stated']
MATCH (n:Region|Park|Department|Industry|DemandUnit|Need|Cooperation)
WHERE coalesce(n.provenance, 'user') IN $levels
RETURN 'node' AS part, labels(n) AS labels, properties(n) AS props, null AS source, null AS target
UNION ALL
MATCH (a:Region|Park|Department|Industry|DemandUnit|Need|Cooperation)
      -[r:LOCATED_IN|PART_OF|SPECIALISES_IN|HANDLES|HAS_NEED|IN_FIELD|PARTNER_IN|SUPPORTS|SERVES]->
      (b:Region|Park|Department|Industry|DemandUnit|Need|Cooperation)
WHERE coalesce(r.provenance, 'user') IN $levels
  AND coalesce(a.provenance, 'user') IN $levels
  AND coalesce(b.provenance, 'user') IN $levels
RETURN 'edge' AS part, [type(r)] AS labels, properties(r) AS props, a.key AS source, b.key AS target
