// hainet: one row per needed industry and partner of a live cooperation in its field.
// A cooperation is in the field of an industry when it is IN_FIELD the industry or one of its
// sub-industries (Industry PART_OF Industry).
// Parameters: $live, the statuses that count, e.g. ["active", "planned"].
// In Neo4j Browser, set them first with: :param live => ['active', 'planned']
MATCH (i:Industry)
WHERE i.is_leading = true OR EXISTS { MATCH (:Need)-[:IN_FIELD]->(i) }
MATCH path = (p:Region|Park|Department)-[:PARTNER_IN|SUPPORTS]->(c:Cooperation)
             -[:IN_FIELD]->(:Industry)-[:PART_OF*0..]->(i)
WHERE c.status IN $live AND all(x IN nodes(path)[2..] WHERE x:Industry)
WITH i, p, collect(DISTINCT c) AS coops
RETURN i.key AS industry_key,
       i.name_zh AS industry_zh,
       i.name_en AS industry_en,
       coalesce(i.is_leading = true, false) AS is_leading,
       p.key AS partner_key,
       labels(p)[0] AS partner_kind,
       p.name_zh AS partner_zh,
       p.name_en AS partner_en,
       [c IN coops | [c.key, c.status]] AS cooperations
ORDER BY industry_key, partner_key
