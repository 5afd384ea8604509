// hainet: regions, parks and departments able to work in a needed field (SPECIALISES_IN it, or a
// department that HANDLES it) that partner no live cooperation in that field.
// A cooperation is in the field when it is IN_FIELD the industry or one of its sub-industries.
// Parameters: $live, the statuses that count, e.g. ["active", "planned"].
// In Neo4j Browser, set them first with: :param live => ['active', 'planned']
MATCH (i:Industry)
WHERE i.is_leading = true OR EXISTS { MATCH (:Need)-[:IN_FIELD]->(i) }
MATCH (a:Region|Park|Department)-[r:SPECIALISES_IN|HANDLES]->(i)
WHERE NOT EXISTS {
  MATCH path = (a)-[:PARTNER_IN|SUPPORTS]->(c:Cooperation)-[:IN_FIELD]->(:Industry)-[:PART_OF*0..]->(i)
  WHERE c.status IN $live AND all(x IN nodes(path)[2..] WHERE x:Industry)
}
RETURN a.key AS actor_key,
       labels(a)[0] AS actor_kind,
       a.name_zh AS actor_zh,
       a.name_en AS actor_en,
       i.key AS industry_key,
       i.name_zh AS industry_zh,
       i.name_en AS industry_en,
       type(r) AS capability,
       COUNT { MATCH (:Need)-[:IN_FIELD]->(i) } AS n_needs,
       EXISTS {
         MATCH (a)-[:PARTNER_IN|SUPPORTS]->(c:Cooperation)
         WHERE c.status IN $live
       } AS tied_to_hainan,
       r.provenance AS provenance,
       r.section AS section,
       r.quote AS quote,
       r.basis AS basis,
       r.document AS document
ORDER BY industry_key, actor_key, capability
