// hainet: what the 2020 mechanism asks for, subject by subject; the caller decides pass or fail.
//   leading-industry-has-region  a Region partners a live cooperation in each leading industry's field;
//   leading-industry-has-park    a Park partners a live cooperation in each leading industry's field;
//   key-task-has-department      each Cooperation of section $key_task_section has a Department that
//                                SUPPORTS it (or is PARTNER_IN it);
//   pairing-has-both-sides       each Cooperation of section $pairing_section has a partner and a unit
//                                it SERVES.
// Sections are compared with full-width brackets made ASCII and spaces dropped.
// Parameters: $live, e.g. ["active", "planned"]; $key_task_section, "二(五)"; $pairing_section, "二(四)".
// In Neo4j Browser, set them first with: :params {live: ['active', 'planned'], key_task_section: '二(五)', pairing_section: '二(四)'}
MATCH (i:Industry)
WHERE i.is_leading = true
RETURN 'leading-industry-has-region' AS check,
       i.key AS subject_key, i.name_zh AS subject_zh, i.name_en AS subject_en,
       COLLECT {
         MATCH path = (p:Region)-[:PARTNER_IN|SUPPORTS]->(c:Cooperation)-[:IN_FIELD]->(:Industry)-[:PART_OF*0..]->(i)
         WHERE c.status IN $live AND all(x IN nodes(path)[2..] WHERE x:Industry)
         RETURN DISTINCT p.key
       } AS found,
       [] AS units
UNION ALL
MATCH (i:Industry)
WHERE i.is_leading = true
RETURN 'leading-industry-has-park' AS check,
       i.key AS subject_key, i.name_zh AS subject_zh, i.name_en AS subject_en,
       COLLECT {
         MATCH path = (p:Park)-[:PARTNER_IN|SUPPORTS]->(c:Cooperation)-[:IN_FIELD]->(:Industry)-[:PART_OF*0..]->(i)
         WHERE c.status IN $live AND all(x IN nodes(path)[2..] WHERE x:Industry)
         RETURN DISTINCT p.key
       } AS found,
       [] AS units
UNION ALL
MATCH (c:Cooperation)
WHERE replace(replace(replace(c.section, '（', '('), '）', ')'), ' ', '') STARTS WITH $key_task_section
RETURN 'key-task-has-department' AS check,
       c.key AS subject_key, c.name_zh AS subject_zh, c.name_en AS subject_en,
       COLLECT { MATCH (d:Department)-[:SUPPORTS|PARTNER_IN]->(c) RETURN DISTINCT d.key } AS found,
       [] AS units
UNION ALL
MATCH (c:Cooperation)
WHERE replace(replace(replace(c.section, '（', '('), '）', ')'), ' ', '') STARTS WITH $pairing_section
RETURN 'pairing-has-both-sides' AS check,
       c.key AS subject_key, c.name_zh AS subject_zh, c.name_en AS subject_en,
       COLLECT { MATCH (p:Region|Park|Department)-[:PARTNER_IN|SUPPORTS]->(c) RETURN DISTINCT p.key } AS found,
       COLLECT { MATCH (c)-[:SERVES]->(u:DemandUnit) RETURN DISTINCT u.key } AS units
