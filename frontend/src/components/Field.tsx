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

/**
 * The errors of a form that belong to none of its fields (one message: a paragraph). It can
 * take focus (tabIndex -1): see focusFirstError.
 */
export function FormErrors({ messages }: { messages: string[] }) {
  if (messages.length === 0) return null;
  if (messages.length === 1) {
    return (
      <p className="form-error" role="alert" tabIndex={-1}>
        {messages[0]}
      </p>
    );
  }
  return (
    <ul className="form-errors" role="alert" tabIndex={-1}>
      {messages.map((m) => (
        <li key={m}>{m}</li>
      ))}
    </ul>
  );
}

/**
 * After a failed submit (its button was disabled while pending, so focus fell to the page):
 * focus the form's first field with an error, else its FormErrors.
 */
export function focusFirstError(form: HTMLFormElement | null): void {
  form?.querySelector<HTMLElement>('[aria-invalid="true"], .form-error, .form-errors')?.focus();
}
