import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError, formErrors, type FieldWords } from '../api/errors';
import { api } from '../api/endpoints';
import { safeNext, useAuth } from '../auth/AuthContext';
import { Field, focusFirstError, FormErrors } from '../components/Field';
import { useDocumentTitle } from '../hooks/useDocumentTitle';

const WORDS: Record<string, FieldWords> = {
  name: { what: 'your name' },
  email: { what: 'your email address' },
  password: { what: 'a password' },
};

export function SignupPage() {
  useDocumentTitle('Sign up');
  const { login } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
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
      await api.signup({ name: name.trim(), email: email.trim(), password });
    } catch (err) {
      setError(err);
      setBusy(false);
      return;
    }
    try {
      await login(email.trim(), password);
      navigate(next, { replace: true });
    } catch (err) {
      // Account exists; logging in failed (e.g. rate limited): send them to the login page.
      if (err instanceof ApiError) navigate(`/login?signedUp=1&email=${encodeURIComponent(email.trim())}`);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };

  const { fields, summary } = formErrors(error, WORDS);
  // "Email already registered" (400) is about the email field: say it there, with the way out.
  if (error instanceof ApiError && error.status === 400 && /already registered/i.test(error.detail)) {
    fields.email = ['An account with this email already exists. Log in instead, or use another address.'];
    summary.length = 0;
  }
  return (
    <section className="page narrow">
      <h1>Create your account</h1>
      <form ref={form} onSubmit={onSubmit} className="form card" noValidate>
        <Field label="Name" autoComplete="name" required value={name} onChange={(e) => setName(e.target.value)} errors={fields.name} />
        <Field label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} errors={fields.email} />
        <Field
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          errors={fields.password}
          hint="At least 8 characters."
        />
        <FormErrors messages={summary} />
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Creating account…' : 'Sign up'}
        </button>
      </form>
      <p>
        Already have an account? <Link to="/login">Log in</Link>
      </p>
    </section>
  );
}
