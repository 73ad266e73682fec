import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { ApiError, formErrors, type FieldWords } from '../api/errors';
import { api } from '../api/endpoints';
import { Field, focusFirstError, FormErrors } from '../components/Field';
import { Notice } from '../components/Status';
import { useDocumentTitle } from '../hooks/useDocumentTitle';

const WORDS: Record<string, FieldWords> = { email: { what: 'your email address' } };

/** The same words whether or not the address has an account (the API doesn't say either). */
export const RESET_SENT =
  'If an account uses that address, we have emailed it a link to choose a new password. The link works once and expires after an hour. Nothing arrived? Check your spam folder or ask again.';

export function ForgotPasswordPage() {
  useDocumentTitle('Forgot password');
  const [email, setEmail] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);

  // A refused submit: its button was disabled while pending, so focus fell to the page.
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (error) focusFirstError(form.current);
  }, [error]);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.requestPasswordReset({ email: email.trim() });
      setSent(true);
    } catch (err) {
      // A bad address, a rate limit or no answer are shown; nothing else can tell whether the
      // address is known, so any other refusal still gets the neutral message.
      if (err instanceof ApiError && (err.status === 422 || err.status === 429 || err.status === 0 || err.status >= 500)) setError(err);
      else setSent(true);
    } finally {
      setBusy(false);
    }
  };

  const { fields, summary } = formErrors(error, WORDS);
  return (
    <section className="page narrow">
      <h1>Forgot your password?</h1>
      {sent ? (
        <>
          <Notice kind="success">
            <p>{RESET_SENT}</p>
          </Notice>
          <p>
            <Link to="/login">Back to log in</Link>
          </p>
        </>
      ) : (
        <>
          <p>Enter the email address you signed up with and we will send you a link to choose a new password.</p>
          <form onSubmit={onSubmit} className="form card" noValidate ref={form}>
            <Field label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} errors={fields.email} />
            <FormErrors messages={summary} />
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? 'Sending…' : 'Send me a link'}
            </button>
          </form>
          <p>
            Remembered it? <Link to="/login">Log in</Link>
          </p>
        </>
      )}
    </section>
  );
}
