import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useAuth } from './AuthContext';
import { ErrorNotice, Loading } from '../components/Status';

/** Children only for a logged-in person (and only admins when `admin`); else login or a notice. */
export function RequireAuth({ children, admin = false }: { children: ReactNode; admin?: boolean }) {
  const { token, user, loading, error, retry, expired } = useAuth();
  const location = useLocation();
  if (!token) {
    const next = encodeURIComponent(`${location.pathname}${location.search}`);
    return <Navigate to={`/login?next=${next}${expired ? '&expired=1' : ''}`} replace />;
  }
  if (error && !user) return <ErrorNotice error={error} onRetry={retry} />;
  if (loading || !user) return <Loading label="Checking your session…" />;
  if (admin && user.role !== 'admin') {
    return (
      <section className="page">
        <h1>Organizers only</h1>
        <p>This page is for event organizers (admins). Your account can browse and book events.</p>
      </section>
    );
  }
  return <>{children}</>;
}
