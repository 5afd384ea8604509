// hainet: the needed industries, with the live cooperations in their field and the partners of those.
// An industry is needed when it is a leading industry or a Need is IN_FIELD it; a cooperation is in
// its field when it is IN_FIELD the industry or one of its sub-industries (Industry PART_OF Industry).
// Parameters: $live, the statuses that count, e.g. ["active", "planned"].
// In Neo4j Browser, set them first with: :param live => ['active', 'planned']
MATCH (i:Industry)
WHERE i.is_leading = true OR EXISTS { MATCH (:Need)-[:IN_FIELD]->(i) }
RETURN i.key AS industry_key,
       i.name_zh AS industry_zh,
       i.name_en AS industry_en,
       coalesce(i.is_leading = true, false) AS is_leading,
       COUNT { MATCH (:Need)-[:IN_FIELD]->(i) } AS n_needs,
       COLLECT {
         MATCH path = (c:Cooperation)-[:IN_FIELD]->(:Industry)-[:PART_OF*0..]->(i)
         WHERE c.status IN $live AND all(x IN nodes(path)[1..] WHERE x:Industry)
         RETURN DISTINCT c.key
       } AS cooperations,
       COLLECT {
         MATCH path = (p:Region|Park|Department)-[:PARTNER_IN|SUPPORTS]->(c:Cooperation)
                      -[:IN_FIELD]->(:Industry)-[:PART_OF*0..]->(i)
         WHERE c.status IN $live AND all(x IN nodes(path)[2..] WHERE x:Industry)
         RETURN DISTINCT [p.key, p.name_zh]
       } AS partners
ORDER BY industry_key
