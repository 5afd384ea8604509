// hainet: every need that no cooperation covers, and why.
// A cooperation covers a need when its status is in $live, it SERVES the need's unit directly and is
// IN_FIELD the need's industry itself.  The reason is decided in this order:
//   cooperation-stalled-or-ended  a cooperation with a status in $idle would cover it;
//   no-partner-in-field           no region, park or department partners a live cooperation in the
//                                 field (the industry or one of its sub-industries);
//   partners-not-linked-to-unit   such partners exist, but none serves this unit in this field.
// Parameters: $live, e.g. ["active", "planned"]; $idle, e.g. ["stalled", "ended"].
// In Neo4j Browser, set them first with: :params {live: ['active', 'planned'], idle: ['stalled', 'ended']}
MATCH (u:DemandUnit)-[:HAS_NEED]->(n:Need)-[:IN_FIELD]->(i:Industry)
WHERE NOT EXISTS {
  MATCH (c:Cooperation)-[:SERVES]->(u)
  WHERE c.status IN $live AND (c)-[:IN_FIELD]->(i)
}
WITH u, n, i,
     COLLECT {
       MATCH (c:Cooperation)-[:SERVES]->(u)
       WHERE c.status IN $idle AND (c)-[:IN_FIELD]->(i)
       RETURN c.key ORDER BY c.key
     } AS stalled,
     EXISTS {
       MATCH path = (:Region|Park|Department)-[:PARTNER_IN|SUPPORTS]->(c:Cooperation)
                    -[:IN_FIELD]->(:Industry)-[:PART_OF*0..]->(i)
       WHERE c.status IN $live AND all(x IN nodes(path)[2..] WHERE x:Industry)
     } AS partnered
RETURN n.key AS need_key,
       u.key AS unit_key,
       u.name_zh AS unit_zh,
       u.name_en AS unit_en,
       i.key AS industry_key,
       i.name_zh AS industry_zh,
       i.name_en AS industry_en,
       CASE
         WHEN size(stalled) > 0 THEN 'cooperation-stalled-or-ended'
         WHEN NOT partnered THEN 'no-partner-in-field'
         ELSE 'partners-not-linked-to-unit'
       END AS reason,
       stalled AS stalled_cooperations,
       n.provenance AS provenance,
       n.section AS section,
       n.quote AS quote,
       n.basis AS basis,
       n.document AS document
ORDER BY need_key, unit_key, industry_key
