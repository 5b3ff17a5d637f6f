import { Empty } from '../components/states.tsx';

export function NotFoundPage({ message }: { message?: string }) {
  return (
    <Empty title="Nothing here">
      {message ?? 'This address does not match a page of the dashboard.'} <a href="/">Go to your traces</a>.
    </Empty>
  );
}
