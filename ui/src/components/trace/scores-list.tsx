/** Scores and feedback on a trace or span: name, value, comment, source and when it was given. */
import type { Score } from '../../api/types.ts';
import { formatTime } from '../../format.ts';

export function ScoresList({ scores, empty }: { scores: Score[]; empty: string }) {
  if (scores.length === 0) return <div class="muted small">{empty}</div>;
  return (
    <table class="data-table scores-table">
      <thead>
        <tr><th>Name</th><th class="num">Value</th><th>Comment</th><th>Source</th><th>Time</th></tr>
      </thead>
      <tbody>
        {scores.map((score) => (
          <tr key={score.id}>
            <td>{score.name}</td>
            <td class="num"><ScoreValue score={score} /></td>
            <td class="score-comment">{score.comment ?? <span class="muted">–</span>}</td>
            <td><span class="badge">{score.source}</span></td>
            <td class="muted">{formatTime(score.created_at)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ScoreValue({ score }: { score: Score }) {
  if (score.data_type === 'boolean' || typeof score.value === 'boolean') {
    return <span class={score.value ? 'status-ok' : 'status-error'}>{score.value ? 'true' : 'false'}</span>;
  }
  if (typeof score.value === 'number') return <>{Number.isInteger(score.value) ? score.value : score.value.toFixed(3).replace(/0+$/, '')}</>;
  return <>{String(score.value)}</>;
}
