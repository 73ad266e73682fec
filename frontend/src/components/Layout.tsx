import { Suspense } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { useAuth } from '../auth/AuthContext';
import { NotificationBell } from './NotificationBell';
import { Loading, Notice } from './Status';

/** Pages about logging in, which say themselves what happened to the session. */
const AUTH_PAGES = new Set(['/login', '/signup', '/forgot-password', '/reset-password']);

/**
 * A token refused while reading a public page (the bell's poll on an event page): the person
 * stays where they were, logged out, and is told so.
 */
function SessionEnded() {
  const location = useLocation();
  if (AUTH_PAGES.has(location.pathname)) return null;
  const next = encodeURIComponent(`${location.pathname}${location.search}`);
  return (
    <Notice kind="warning">
      <p>
        Your session ended — <Link to={`/login?next=${next}&expired=1`}>log in again</Link> to book tickets or see your bookings.
      </p>
    </Notice>
  );
}

export function Layout() {
  const { user, token, expired, logout } = useAuth();
  const navigate = useNavigate();
  const isAdmin = user?.role === 'admin';
  // Door staff see only the scanner and their own bookings.
  const isDoorStaff = user?.role === 'checkin';
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="header-inner">
          <NavLink to="/" className="brand" end>
            <svg className="brand-icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
              <path
                fill="currentColor"
                d="M3 6a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2v3a3 3 0 0 0 0 6v3a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-3a3 3 0 0 0 0-6V6Zm11 1v2h2V7h-2Zm0 4v2h2v-2h-2Zm0 4v2h2v-2h-2Z"
              />
            </svg>
            Evently
          </NavLink>
          <nav aria-label="Main" className="main-nav">
            {!isDoorStaff && (
              <NavLink to="/" end>
                Events
              </NavLink>
            )}
            {token && <NavLink to="/bookings">My bookings</NavLink>}
            {(isAdmin || isDoorStaff) && <NavLink to="/door">Door check-in</NavLink>}
            {isAdmin && (
              <>
                <NavLink to="/admin/events">Manage events</NavLink>
                <NavLink to="/admin/users">Users</NavLink>
                <NavLink to="/admin/dashboard">Dashboard</NavLink>
              </>
            )}
          </nav>
          <div className="account">
            {token ? (
              <>
                <NotificationBell />
                {user && (
                  <span className="muted account-name">
                    {user.name}
                    {isAdmin && ' (admin)'}
                    {isDoorStaff && ' (door staff)'}
                  </span>
                )}
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => {
                    logout();
                    navigate('/');
                  }}
                >
                  Log out
                </button>
              </>
            ) : (
              <>
                <NavLink to="/login">Log in</NavLink>
                <NavLink to="/signup" className="btn btn-small btn-primary">
                  Sign up
                </NavLink>
              </>
            )}
          </div>
        </div>
      </header>
      <main id="main" className="container" tabIndex={-1}>
        {expired && !token && <SessionEnded />}
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="site-footer container muted">Evently · tickets for everything</footer>
    </>
  );
}
