import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { formErrors, type FieldWords } from '../api/errors';
import { safeNext, useAuth } from '../auth/AuthContext';
import { Field, focusFirstError, FormErrors } from '../components/Field';
import { Notice } from '../components/Status';
import { useDocumentTitle } from '../hooks/useDocumentTitle';

const WORDS: Record<string, FieldWords> = {
  email: { what: 'your email address' },
  password: { what: 'your password' },
};

export function LoginPage() {
  useDocumentTitle('Log in');
  const { login } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (error) focusFirstError(form.current);
  }, [error]);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(email.trim(), password);
      navigate(next, { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const { fields, summary } = formErrors(error, WORDS);
  return (
    <section className="page narrow">
      <h1>Log in</h1>
      {params.get('expired') && <Notice kind="warning">Your session has expired. Please log in again to continue.</Notice>}
      {params.get('signedUp') && <Notice kind="success">Account created. Log in to start booking.</Notice>}
      <form ref={form} onSubmit={onSubmit} className="form card" noValidate>
        <Field label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} errors={fields.email} />
        <Field
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          errors={fields.password}
        />
        <FormErrors messages={summary} />
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
        <Link to="/forgot-password" className="forgot-link">
          Forgot password?
        </Link>
      </form>
      <p>
        New here? <Link to={`/signup${params.get('next') ? `?next=${encodeURIComponent(next)}` : ''}`}>Create an account</Link>
      </p>
    </section>
  );
}
