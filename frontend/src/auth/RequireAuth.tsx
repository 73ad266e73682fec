import type { ReactNode } from 'react';
import type { Role } from '../api/types';
import { Navigate, useLocation } from 'react-router';
import { useAuth } from './AuthContext';
import { ErrorNotice, Loading } from '../components/Status';

/**
 * Children only for a logged-in person (and only admins when `admin`, only the given `roles`
 * when set, e.g. admins and door staff); else login or a notice.
 */
export function RequireAuth({ children, admin = false, roles }: { children: ReactNode; admin?: boolean; roles?: readonly Role[] }) {
  const { token, user, loading, error, retry, expired } = useAuth();
  const location = useLocation();
  if (!token) {
    const next = encodeURIComponent(`${location.pathname}${location.search}`);
    return <Navigate to={`/login?next=${next}${expired ? '&expired=1' : ''}`} replace />;
  }
  if (error && !user) return <ErrorNotice error={error} onRetry={retry} />;
  if (loading || !user) return <Loading label="Checking your session…" />;
  if ((admin && user.role !== 'admin') || (roles && !(user.role && roles.includes(user.role)))) {
    return (
      <section className="page">
        <h1>Organizers only</h1>
        <p>This page is for event organizers (admins). Your account can browse and book events.</p>
      </section>
    );
  }
  return <>{children}</>;
}
