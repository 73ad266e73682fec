import { useId, type InputHTMLAttributes, type ReactNode } from 'react';

interface Props extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  errors?: string[] | undefined;
  hint?: ReactNode;
}

/** A labelled input with its field errors announced and linked by aria-describedby. */
export function Field({ label, errors, hint, ...input }: Props) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const hasErrors = !!errors && errors.length > 0;
  const describedBy = [hint ? hintId : null, hasErrors ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${hasErrors ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={hasErrors || undefined} aria-describedby={describedBy} {...input} />
      {hint && (
        <small id={hintId} className="hint">
          {hint}
        </small>
      )}
      {hasErrors && (
        <small id={errorId} className="field-error">
          {errors.join(' ')}
        </small>
      )}
    </div>
  );
}

/** The errors of a form that belong to none of its fields (one message: a paragraph). */
export function FormErrors({ messages }: { messages: string[] }) {
  if (messages.length === 0) return null;
  if (messages.length === 1) {
    return (
      <p className="form-error" role="alert">
        {messages[0]}
      </p>
    );
  }
  return (
    <ul className="form-errors" role="alert">
      {messages.map((m) => (
        <li key={m}>{m}</li>
      ))}
    </ul>
  );
}
