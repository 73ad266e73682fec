import type { ReactNode, Ref } from 'react';
import { explainError, mayPassOnRetry } from '../api/errors';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="status status-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

/**
 * An error in plain words; "Try again" only when trying again could help. With `ref` it can
 * take focus (tabIndex -1), for when the control that had it is gone.
 */
export function ErrorNotice({ error, onRetry, title, ref }: { error: unknown; onRetry?: () => void; title?: string; ref?: Ref<HTMLDivElement> }) {
  return (
    <div className="notice notice-error" role="alert" ref={ref} tabIndex={ref ? -1 : undefined}>
      {title && <strong>{title} </strong>}
      <span>{explainError(error)}</span>
      {onRetry && mayPassOnRetry(error) && (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** A message; with `ref` it can take focus (tabIndex -1), like ErrorNotice. */
export function Notice({ kind = 'info', children, ref }: { kind?: 'info' | 'success' | 'warning'; children: ReactNode; ref?: Ref<HTMLDivElement> }) {
  return (
    <div className={`notice notice-${kind}`} role="status" ref={ref} tabIndex={ref ? -1 : undefined}>
      {children}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children}
    </div>
  );
}
