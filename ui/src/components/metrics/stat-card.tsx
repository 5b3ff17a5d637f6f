/** A headline number with its label (the `.card` of styles.css); `hint` explains it on hover. */
import type { ComponentChildren } from 'preact';

export function StatCard({ label, hint, children }: { label: string; hint?: string; children: ComponentChildren }) {
  return (
    <div class="card" title={hint}>
      <div class="card-label">{label}</div>
      <div class="card-value">{children}</div>
    </div>
  );
}
