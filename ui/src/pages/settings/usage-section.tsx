/** This month's ingestion against the team's monthly event quota, and the last 12 months. */
import { get } from '../../api/client.ts';
import { ErrorState, Loading } from '../../components/states.tsx';
import { useResource } from '../../state/use-resource.ts';
import { formatBytes, formatCount, formatTime } from '../../format.ts';
import type { SectionProps, Usage } from './settings-types.ts';

const month = new Intl.DateTimeFormat('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' });

export function UsageSection({ tenantId }: SectionProps) {
  const usage = useResource((signal) => get<Usage>(`/api/v1/tenants/${tenantId}/usage`, {}, signal), tenantId);

  return (
    <>
      <div>
        <h2>Usage &amp; quota</h2>
        <p class="section-intro">Events are the spans stored for all the team's projects this UTC month; re-sent and rejected spans do not count. Bytes are request bodies as sent.</p>
      </div>
      {usage.error ? (
        <ErrorState error={usage.error} retry={usage.reload} />
      ) : !usage.data ? (
        <Loading />
      ) : (
        <UsageView usage={usage.data} />
      )}
    </>
  );
}

export function UsageView({ usage }: { usage: Usage }) {
  const quota = usage.monthly_event_quota;
  const peak = Math.max(1, ...usage.history.map((h) => h.events));
  return (
    <>
      <div class="cards">
        <div class="card"><div class="card-label">Events this month</div><div class="card-value" data-testid="usage-events">{formatCount(usage.events)}</div></div>
        <div class="card"><div class="card-label">Bytes received</div><div class="card-value">{formatBytes(usage.bytes)}</div></div>
        <div class="card"><div class="card-label">Monthly quota</div><div class="card-value">{quota === null ? 'Unlimited' : formatCount(quota)}</div></div>
        <div class="card"><div class="card-label">Resets</div><div class="card-value" style={{ fontSize: 15 }}>{formatTime(usage.resets_at)}</div></div>
      </div>
      {quota !== null && (
        <div class="panel panel-body">
          <div class="small">
            {formatCount(usage.events)} of {formatCount(quota)} events used ({Math.round((usage.used_ratio ?? 0) * 100)}%), {formatCount(usage.remaining)} left.
          </div>
          <div class={`quota-bar ${usage.ingestion_refused ? 'over' : ''}`} role="progressbar" aria-label="Quota used" aria-valuemin={0} aria-valuemax={quota} aria-valuenow={usage.events}>
            <span style={{ width: `${Math.min(100, (usage.used_ratio ?? 0) * 100)}%` }} />
          </div>
          {usage.ingestion_refused ? (
            <p class="form-error" role="alert">The quota is used up: ingestion is refused (429) until {formatTime(usage.resets_at)} or until an instance administrator raises it.</p>
          ) : (
            <p class="small muted" style={{ margin: 0 }}>A batch that would pass the quota is refused whole with 429; nothing is dropped silently.</p>
          )}
        </div>
      )}
      <h3>Last 12 months</h3>
      <div class="panel panel-body history" role="list" aria-label="Events per month">
        {usage.history.map((h) => (
          <div role="listitem" key={h.period_start} style={{ display: 'contents' }}>
            <span>{month.format(new Date(h.period_start))}</span>
            <div class={`history-bar ${h.events === 0 ? 'zero' : ''}`} style={{ width: `${(h.events / peak) * 100}%` }} />
            <span class="num">{formatCount(h.events)} · {formatBytes(h.bytes)}</span>
          </div>
        ))}
      </div>
    </>
  );
}
