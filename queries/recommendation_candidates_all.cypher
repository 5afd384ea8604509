// hainet: the candidate partners for many needs in one query: recommendation_candidates.cypher
// run for each key of $needs, rows ordered by need, then as there.  The rules are those of that file:
// A candidate is a region, park or department that SPECIALISES_IN or HANDLES the need's industry,
// partners a live cooperation in its field (the industry or one of its sub-industries), or partnered
// the stalled or ended cooperation that would cover the need.  For each:
//   capability            SPECIALISES_IN or HANDLES the industry itself;
//   field_partner         partners a live cooperation in the field;
//   unit_tie              partners a live cooperation that SERVES the need's unit;
//   n_hainan_cooperations live cooperations it partners, in any field;
//   parks_in_field        parks partnering a live cooperation in the field that are the candidate or
//                         are LOCATED_IN it;
//   departments_in_field  departments that HANDLES the industry and are the candidate or partner a
//                         live cooperation together with it;
//   revival               partners a cooperation with a status in $idle that SERVES the need's unit and
//                         is IN_FIELD its industry (such partners are candidates too).
// Parameters: $needs, a list of Need keys; $live, e.g. ["active", "planned"]; $idle, e.g. ["stalled", "ended"].
// In Neo4j Browser, set them first with: :params {needs: ['need:haikou-hitech:biomedicine'], live: ['active', 'planned'], idle: ['stalled', 'ended']}
UNWIND $needs AS wanted
MATCH (u:DemandUnit)-[:HAS_NEED]->(n:Need {key: wanted})-[:IN_FIELD]->(i:Industry)
MATCH (a:Region|Park|Department)
WHERE EXISTS { MATCH (a)-[:SPECIALISES_IN|HANDLES]->(i) }
   OR EXISTS {
        MATCH path = (a)-[:PARTNER_IN|SUPPORTS]->(c:Cooperation)-[:IN_FIELD]->(:Industry)-[:PART_OF*0..]->(i)
        WHERE c.status IN $live AND all(x IN nodes(path)[2..] WHERE x:Industry)
      }
   OR EXISTS {
        MATCH (a)-[:PARTNER_IN|SUPPORTS]->(c:Cooperation)-[:SERVES]->(u)
        WHERE c.status IN $idle AND (c)-[:IN_FIELD]->(i)
      }
RETURN n.key AS need_key,
       u.key AS unit_key,
       u.name_zh AS unit_zh,
       u.name_en AS unit_en,
       i.key AS industry_key,
       i.name_zh AS industry_zh,
       i.name_en AS industry_en,
       a.key AS candidate_key,
       labels(a)[0] AS candidate_kind,
       a.name_zh AS candidate_zh,
       a.name_en AS candidate_en,
       EXISTS { MATCH (a)-[:SPECIALISES_IN|HANDLES]->(i) } AS capability,
       EXISTS {
         MATCH path = (a)-[:PARTNER_IN|SUPPORTS]->(c:Cooperation)-[:IN_FIELD]->(:Industry)-[:PART_OF*0..]->(i)
         WHERE c.status IN $live AND all(x IN nodes(path)[2..] WHERE x:Industry)
       } AS field_partner,
       EXISTS {
         MATCH (a)-[:PARTNER_IN|SUPPORTS]->(c:Cooperation)-[:SERVES]->(u)
         WHERE c.status IN $live
       } AS unit_tie,
       size(COLLECT {
         MATCH (a)-[:PARTNER_IN|SUPPORTS]->(c:Cooperation)
         WHERE c.status IN $live
         RETURN DISTINCT c.key
       }) AS n_hainan_cooperations,
       COLLECT {
         MATCH path = (k:Park)-[:PARTNER_IN|SUPPORTS]->(c:Cooperation)-[:IN_FIELD]->(:Industry)-[:PART_OF*0..]->(i)
         WHERE (k = a OR (k)-[:LOCATED_IN]->(a))
           AND c.status IN $live AND all(x IN nodes(path)[2..] WHERE x:Industry)
         RETURN DISTINCT [k.key, k.name_zh, k.name_en]
       } AS parks_in_field,
       COLLECT {
         MATCH (d:Department)-[:HANDLES]->(i)
         WHERE d = a OR EXISTS {
           MATCH (d)-[:PARTNER_IN|SUPPORTS]->(c:Cooperation)<-[:PARTNER_IN|SUPPORTS]-(a)
           WHERE c.status IN $live
         }
         RETURN DISTINCT [d.key, d.name_zh, d.name_en]
       } AS departments_in_field,
       EXISTS {
         MATCH (a)-[:PARTNER_IN|SUPPORTS]->(c:Cooperation)-[:SERVES]->(u)
         WHERE c.status IN $idle AND (c)-[:IN_FIELD]->(i)
       } AS revival
ORDER BY need_key, unit_key, industry_key, candidate_key
