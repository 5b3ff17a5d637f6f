/** A destructive action asks once more in place: "Revoke" becomes "Revoke? Yes / Cancel". */
import { useState } from 'preact/hooks';

export function ConfirmButton({ label, question, onConfirm, disabled }: { label: string; question: string; onConfirm: () => void; disabled?: boolean }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return <button type="button" class="danger" disabled={disabled} onClick={() => setAsking(true)}>{label}</button>;
  }
  return (
    <span class="row-actions" role="group" aria-label={question}>
      <span class="small">{question}</span>
      <button type="button" class="danger" onClick={() => { setAsking(false); onConfirm(); }}>Yes, {label.toLowerCase()}</button>
      <button type="button" onClick={() => setAsking(false)}>Cancel</button>
    </span>
  );
}
