import { describe, expect, it } from 'vitest';
import { renderToString } from 'preact-render-to-string';
import { toOverrides } from './prices-section.tsx';
import { grantableRoles } from './members-section.tsx';
import { formatBytes } from '../../format.ts';
import { UsageView } from './usage-section.tsx';
import type { Usage } from './settings-types.ts';

const rates = (values: Partial<Record<'input' | 'output' | 'cache_read' | 'cache_write' | 'reasoning', string>>) => ({ input: '', output: '', cache_read: '', cache_write: '', reasoning: '', ...values });

describe('price overrides as typed', () => {
  it('become the API shape: trimmed match, numbers, blank rates left out, tiers kept', () => {
    const tiers = [{ above_input_tokens: 200_000, prices: { input: 2, output: 8 } }];
    expect(toOverrides([
      { match: '  my-model ', rates: rates({ input: '1.5', output: '6', cache_read: ' ' }) },
      { match: '^ft:.*', rates: rates({ input: '0', output: '0.25', reasoning: '3' }), tiers },
    ])).toEqual([
      { match: 'my-model', prices: { input: 1.5, output: 6 } },
      { match: '^ft:.*', prices: { input: 0, output: 0.25, reasoning: 3 }, tiers },
    ]);
  });
});

describe('roles offered', () => {
  it('follow the server rules: owners grant any role, admins all but owner, others none', () => {
    expect(grantableRoles('owner')).toEqual(['owner', 'admin', 'member', 'viewer']);
    expect(grantableRoles('admin')).toEqual(['admin', 'member', 'viewer']);
    expect(grantableRoles('member')).toEqual([]);
    expect(grantableRoles(null)).toEqual([]);
  });
});

describe('usage view', () => {
  const usage: Usage = {
    tenant_id: 't', period_start: '2026-11-01T00:00:00Z', resets_at: '2026-12-01T00:00:00Z', events: 1200, bytes: 3 * 1024 * 1024,
    monthly_event_quota: 1000, remaining: 0, used_ratio: 1.2, ingestion_refused: true,
    history: [{ period_start: '2026-10-01T00:00:00Z', events: 300, bytes: 10 }, { period_start: '2026-11-01T00:00:00Z', events: 1200, bytes: 3 * 1024 * 1024 }],
  };

  it('caps the quota bar at 100% and says ingestion is refused', () => {
    const html = renderToString(<UsageView usage={usage} />);
    expect(html).toContain('width:100%');
    expect(html).toContain('ingestion is refused (429)');
    expect(html).toContain('1,200 of 1,000 events used (120%)');
    // History bars are relative to the busiest month.
    expect(html).toContain('width:25%');
  });

  it('shows no quota bar without a quota', () => {
    const html = renderToString(<UsageView usage={{ ...usage, monthly_event_quota: null, remaining: null, used_ratio: null, ingestion_refused: false }} />);
    expect(html).toContain('Unlimited');
    expect(html).not.toContain('progressbar');
  });

  it('formats bytes in binary units', () => {
    expect([formatBytes(0), formatBytes(1023), formatBytes(1536), formatBytes(3 * 1024 * 1024), formatBytes(25 * 1024 ** 3)]).toEqual(['0 B', '1023 B', '1.5 KB', '3.0 MB', '25 GB']);
  });
});
