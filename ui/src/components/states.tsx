/** Loading, empty and error states: every view shows one of these instead of a blank area. */
import type { ComponentChildren } from 'preact';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return <div class="state state-loading" role="status" aria-live="polite"><span class="spinner" aria-hidden="true" />{label}</div>;
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="state state-empty">
      <strong>{title}</strong>
      {children && <div class="state-detail">{children}</div>}
    </div>
  );
}

export function ErrorState({ error, retry }: { error: Error; retry?: () => void }) {
  return (
    <div class="state state-error" role="alert">
      <strong>Something went wrong</strong>
      <div class="state-detail">{error.message}</div>
      {retry && <button type="button" onClick={retry}>Try again</button>}
    </div>
  );
}
