/** One labelled value of a trace or span (a `<dt>`/`<dd>` pair inside a `<dl>`): "Latency 1.2 s". */
import type { ComponentChildren } from 'preact';

export function Fact({ label, title, children }: { label: string; title?: string; children: ComponentChildren }) {
  return (
    <div class="fact" title={title}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
