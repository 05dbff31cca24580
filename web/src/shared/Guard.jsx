// A part of the page that cannot draw what it was given (a rule set saved or typed with the
// wrong shape, e.g. "rules": "x") says so in its place, instead of throwing out of the render:
// Preact then leaves the page half drawn (headers stacked, "Starting…" forever).
import { useEffect, useErrorBoundary } from 'preact/hooks';

/** `resetOn`: a value whose change (a new rule set, after an undo or a fix) draws it again. */
export function Guard({ what, resetOn, children }) {
  const [error, reset] = useErrorBoundary();
  useEffect(() => {
    if (error) reset();
  }, [resetOn]);
  if (!error) return children;
  return (
    <div class="diag error" role="alert" data-testid="guard">
      {what} cannot show this rule set: it is not in the shape the page expects. The JSON tab shows it as it is, with
      its errors: fix it there, or press Undo.{' '}
      <button type="button" class="link" onClick={reset}>
        Try again
      </button>
      <br />
      <span class="muted">({error.message})</span>
    </div>
  );
}
