import { Suspense } from 'react';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { useAuth } from '../auth/AuthContext';
import { NotificationBell } from './NotificationBell';
import { Loading } from './Status';

export function Layout() {
  const { user, token, logout } = useAuth();
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
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="site-footer container muted">Evently · tickets for everything</footer>
    </>
  );
}
