/** A secret shown once (a new API key, an invitation link): selectable in full, with a copy button. */
import { CopyButton } from './copy-button.tsx';

export function SecretValue({ value, copyLabel, testId }: { value: string; copyLabel: string; testId?: string }) {
  return (
    <div class="secret-value">
      <code data-testid={testId}>{value}</code>
      <CopyButton text={value} label={copyLabel} />
    </div>
  );
}
