/** Copies a text to the clipboard and says so for a moment; falls back to selecting it when the clipboard is refused. */
import { useEffect, useState } from 'preact/hooks';
import './copy-button.css';

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 1800);
    return () => clearTimeout(timer);
  }, [state]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      // Non-secure origins (plain http on a LAN address) have no clipboard API: copy by hand.
      setState('failed');
    }
  };

  return (
    <button type="button" class="copy-button" onClick={copy} aria-live="polite">
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Select and copy' : label}
    </button>
  );
}
