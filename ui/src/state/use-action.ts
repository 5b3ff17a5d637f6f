/**
 * One async action a form or button starts (save, create, invite…): whether it is running, the error
 * it ended with, and whether it has succeeded since the last edit. A second start while one runs is
 * ignored, so a double click does not send the request twice.
 */
import { useRef, useState } from 'preact/hooks';

export interface Action<A extends unknown[], T> {
  /** Runs the action; resolves to its result, or undefined when it failed (the error is in `error`) or was already running. */
  run: (...args: A) => Promise<T | undefined>;
  busy: boolean;
  error: string | null;
  /** The last run succeeded and nothing was edited since (for "Saved."). */
  done: boolean;
  /** Forgets the outcome (an edit makes "Saved." untrue); `error` sets a message without running. */
  reset: (error?: string) => void;
}

export function useAction<A extends unknown[], T>(action: (...args: A) => Promise<T>): Action<A, T> {
  const [state, setState] = useState<{ busy: boolean; error: string | null; done: boolean }>({ busy: false, error: null, done: false });
  const running = useRef(false);
  // The latest closure: a run started after a re-render uses the current props and fields.
  const latest = useRef(action);
  latest.current = action;

  const run = async (...args: A): Promise<T | undefined> => {
    if (running.current) return undefined;
    running.current = true;
    setState({ busy: true, error: null, done: false });
    try {
      const result = await latest.current(...args);
      setState({ busy: false, error: null, done: true });
      return result;
    } catch (e) {
      setState({ busy: false, error: (e as Error).message, done: false });
      return undefined;
    } finally {
      running.current = false;
    }
  };
  const reset = (error?: string) => setState((s) => ({ busy: s.busy, error: error ?? null, done: false }));
  return { ...state, run, reset };
}
