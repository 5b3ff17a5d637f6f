-- Usage per time bucket (and optionally per model / provider / service / type) for the metrics API.
-- Usage sums only spans with counts_usage (each model call once: a wrapper repeating its provider
-- call's usage does not count again). Requests are model calls (llm and embedding spans that count);
-- latency percentiles are over those calls; errors count every span in error.
SELECT
  toUnixTimestamp(toStartOfInterval(start_time, toIntervalSecond({bucket_seconds:UInt32}))) AS bucket_epoch,
  multiIf({group_by:String} = 'model', model,
          {group_by:String} = 'provider', provider,
          {group_by:String} = 'service', service_name,
          {group_by:String} = 'type', type,
          '') AS group_key,
  countIf(counts_usage AND type IN ('llm', 'embedding')) AS requests,
  sumIf(input_tokens, counts_usage) AS input_tokens,
  sumIf(output_tokens, counts_usage) AS output_tokens,
  sumIf(total_tokens, counts_usage) AS total_tokens,
  sumIf(cache_read_tokens, counts_usage) AS cache_read_tokens,
  sumIf(reasoning_tokens, counts_usage) AS reasoning_tokens,
  sumIf(ifNull(cost_usd, 0), counts_usage) AS cost_usd,
  countIf(status = 'error') AS errors,
  quantilesIf(0.5, 0.95, 0.99)(duration_ms, counts_usage AND type IN ('llm', 'embedding')) AS latency_ms
FROM events FINAL
WHERE tenant_id = {tenant_id:String}
  AND project_id = {project_id:String}
  AND start_time >= fromUnixTimestamp64Milli({from_ms:Int64}, 'UTC')
  AND start_time < fromUnixTimestamp64Milli({to_ms:Int64}, 'UTC')
GROUP BY bucket_epoch, group_key
ORDER BY bucket_epoch, group_key
