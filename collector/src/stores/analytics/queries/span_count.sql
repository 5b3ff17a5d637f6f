-- Spans of one project, each (tenant, project, trace, span) counted once even before merges (FINAL).
SELECT count() AS spans
FROM events FINAL
WHERE tenant_id = {tenant_id:String}
  AND project_id = {project_id:String}
