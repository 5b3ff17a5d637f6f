// PLACEHOLDER: being built in this session.
import { Loading } from '../components/states.tsx';
export function SessionsPage(_props: Record<string, unknown>) {
  return <Loading label="SessionsPage" />;
}
