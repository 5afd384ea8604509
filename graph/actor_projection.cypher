// hainet: the actor projection of queries/hubs.py, projected into Graph Data Science as $graph_name.
// Two actors (regions, parks, departments, demand units) are tied when they take part in the same
// live cooperation (status in $live), as partners (PARTNER_IN, SUPPORTS from a region, park or
// department) or as the demand unit it SERVES; the weight of a tie is the number of such cooperations
// they share.  Every actor is a node, also when it has no tie.  A node or relationship counts only at
// the evidence levels in $levels; one without a provenance, or with one that is not in $known, counts
// as 'user' (graph.evidence.fact_level), as in queries/facts_at_level.cypher.
// Ties are sent once per pair (a.key < b.key) and projected undirected.
CALL () {
  MATCH (c:Cooperation)
  WHERE c.status IN $live
    AND CASE WHEN c.provenance IN $known THEN c.provenance ELSE 'user' END IN $levels
  OPTIONAL MATCH (p:Region|Park|Department)-[r:PARTNER_IN|SUPPORTS]->(c)
  WHERE CASE WHEN r.provenance IN $known THEN r.provenance ELSE 'user' END IN $levels
    AND CASE WHEN p.provenance IN $known THEN p.provenance ELSE 'user' END IN $levels
  WITH c, collect(DISTINCT p) AS partners
  OPTIONAL MATCH (c)-[s:SERVES]->(u:DemandUnit)
  WHERE CASE WHEN s.provenance IN $known THEN s.provenance ELSE 'user' END IN $levels
    AND CASE WHEN u.provenance IN $known THEN u.provenance ELSE 'user' END IN $levels
  WITH c, partners, collect(DISTINCT u) AS units
  WITH c, partners + units AS members
  UNWIND members AS a
  UNWIND members AS b
  WITH a, b, c
  WHERE a.key < b.key
  RETURN a AS source, b AS target, count(DISTINCT c) AS shared
  UNION ALL
  MATCH (a:Region|Park|Department|DemandUnit)
  WHERE CASE WHEN a.provenance IN $known THEN a.provenance ELSE 'user' END IN $levels
  RETURN a AS source, null AS target, 0 AS shared
}
RETURN gds.graph.project($graph_name, source, target,
  {relationshipProperties: {weight: toFloat(shared)}},
  {undirectedRelationshipTypes: ['*']})
