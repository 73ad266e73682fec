import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError, formErrors, type FieldWords } from '../api/errors';
import { api } from '../api/endpoints';
import type { User } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { Field, focusFirstError, FormErrors } from '../components/Field';
import { Notice } from '../components/Status';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { forgetResetLink, resetLinkInAddress, storedResetLink, storeResetLink, type ResetLink } from '../lib/resetLink';

const WORDS: Record<string, FieldWords> = { password: { what: 'a new password' } };

export const LINK_INVALID = 'This link is invalid or has expired — ask for a new one.';

/** A 400 (spent, expired or mangled link) or a 422 about the link's own fields. */
function isBadLink(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.status === 400) return true;
  return error.status === 422 && ('uid' in error.fieldErrors || 'token' in error.fieldErrors);
}

function BadLink() {
  return (
    <div className="notice notice-error" role="alert">
      <p>{LINK_INVALID}</p>
      <Link to="/forgot-password">Ask for a new link</Link>
    </div>
  );
}

/**
 * `/reset-password?uid=…&token=…`, the link in the email. The secret moves from the address to
 * this tab's sessionStorage at once and the address becomes `/reset-password` (replaced, so
 * history keeps no token); a reload reads it back from there (`lib/resetLink.ts`).
 */
export function ResetPasswordPage() {
  useDocumentTitle('Choose a new password');
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const inAddress = resetLinkInAddress(params);
  const [link, setLink] = useState<ResetLink>(() => inAddress ?? storedResetLink());
  const { uid, token } = link;
  const { token: session, logout } = useAuth();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<User | null>(null);

  const addressUid = inAddress?.uid;
  const addressToken = inAddress?.token;
  useEffect(() => {
    if (addressUid === undefined || addressToken === undefined) return;
    // A link in the address (a new one replaces a stored or spent one) → sessionStorage.
    const next = { uid: addressUid, token: addressToken };
    storeResetLink(next);
    setLink(next);
    setError(null);
    setDone(null);
    navigate('/reset-password', { replace: true });
  }, [addressUid, addressToken, navigate]);

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
      const user = await api.confirmPasswordReset({ uid, token, password });
      forgetResetLink();
      // The reset ends every older access token: forget ours instead of failing later.
      if (session) logout();
      setDone(user);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <section className="page narrow">
        <h1>Password changed</h1>
        <Notice kind="success">
          <p>Your password is changed. Log in with your new password; you are logged out everywhere else.</p>
        </Notice>
        <p>
          <Link className="btn btn-primary" to={`/login?email=${encodeURIComponent(done.email)}`}>
            Log in
          </Link>
        </p>
      </section>
    );
  }

  const badLink = !uid || !token || isBadLink(error);
  const { fields, summary } = formErrors(badLink ? null : error, WORDS);
  return (
    <section className="page narrow">
      <h1>Choose a new password</h1>
      {badLink ? (
        <BadLink />
      ) : (
        <form onSubmit={onSubmit} className="form card" noValidate ref={form}>
          <Field
            label="New password"
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
            {busy ? 'Saving…' : 'Save the new password'}
          </button>
        </form>
      )}
    </section>
  );
}
