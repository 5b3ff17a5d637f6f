-- All spans of one trace, ordered by start time; on a tie the longer span (the enclosing parent) first.
-- FINAL merges parts at read time, so a span shipped twice (at-least-once) is returned once, the
-- latest ingest winning, even before the background merge of ReplacingMergeTree has run.
SELECT * EXCEPT (ingested_at)
FROM events FINAL
WHERE tenant_id = {tenant_id:String}
  AND project_id = {project_id:String}
  AND trace_id = {trace_id:String}
ORDER BY start_time, end_time DESC, span_id
