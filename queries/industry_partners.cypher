// hainet: the partners of the live cooperations in the field of one industry.
// A cooperation is in the field when it is IN_FIELD the industry or one of its sub-industries
// (Industry PART_OF Industry).
// Parameters: $industry, an Industry key, e.g. "industry:biomedicine";
//             $live, the statuses that count, e.g. ["active", "planned"].
// In Neo4j Browser, set them first with: :params {industry: 'industry:biomedicine', live: ['active', 'planned']}
MATCH path = (p:Region|Park|Department)-[:PARTNER_IN|SUPPORTS]->(c:Cooperation)
             -[:IN_FIELD]->(:Industry)-[:PART_OF*0..]->(i:Industry {key: $industry})
WHERE c.status IN $live AND all(x IN nodes(path)[2..] WHERE x:Industry)
WITH p, collect(DISTINCT c) AS coops
RETURN p.key AS partner_key,
       labels(p)[0] AS partner_kind,
       p.name_zh AS partner_zh,
       p.name_en AS partner_en,
       [c IN coops | [c.key, c.status]] AS cooperations
ORDER BY partner_key
