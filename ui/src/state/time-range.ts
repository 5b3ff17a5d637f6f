/**
 * The time range of a view: a preset relative to now (`range=24h`) or a fixed window (`from`, `to`),
 * both kept in the URL.
 */
export const PRESETS = [
  { id: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { id: '1h', label: 'Last hour', ms: 3_600_000 },
  { id: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { id: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { id: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
] as const;

export type PresetId = (typeof PRESETS)[number]['id'];

export interface TimeRange {
  from: string;
  to: string;
  /** The preset, or null for a custom window. */
  preset: PresetId | null;
}

export function rangeFromQuery(query: Record<string, string>, fallback: PresetId = '24h', now = Date.now()): TimeRange {
  const from = Date.parse(query.from ?? '');
  const to = Date.parse(query.to ?? '');
  if (!Number.isNaN(from) && !Number.isNaN(to) && from < to) return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), preset: null };
  const preset = PRESETS.find((p) => p.id === query.range) ?? PRESETS.find((p) => p.id === fallback)!;
  // The end is a little ahead of now so spans with a slightly fast clock still show.
  return { from: new Date(now - preset.ms).toISOString(), to: new Date(now + 60_000).toISOString(), preset: preset.id };
}

/** An instant as a `datetime-local` input shows it: local time, no zone ('' for nothing or garbage). */
export function toLocalInput(iso: string | undefined): string {
  const date = new Date(iso ?? '');
  if (Number.isNaN(date.getTime())) return '';
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** A `datetime-local` value back to an ISO instant ('' when blank or incomplete). */
export function fromLocalInput(value: string): string {
  const date = new Date(value);
  return value && !Number.isNaN(date.getTime()) ? date.toISOString() : '';
}
