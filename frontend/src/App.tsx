import { lazy } from 'react';
import { Route, Routes } from 'react-router';
import { RequireAuth } from './auth/RequireAuth';
import { Layout } from './components/Layout';
import { AdminEventsPage } from './pages/admin/AdminEventsPage';
import { AdminUsersPage } from './pages/admin/AdminUsersPage';
import { EventPage } from './pages/EventPage';
import { EventsPage } from './pages/EventsPage';
import { ForgotPasswordPage } from './pages/ForgotPasswordPage';
import { LoginPage } from './pages/LoginPage';
import { MyBookingsPage } from './pages/MyBookingsPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { NotificationsPage } from './pages/NotificationsPage';
import { ResetPasswordPage } from './pages/ResetPasswordPage';
import { SignupPage } from './pages/SignupPage';

// The dashboard carries the charting library: load it only when an admin opens it.
const DashboardPage = lazy(() => import('./pages/admin/DashboardPage'));
// Tickets to print and the door scanner: small chunks, loaded when opened.
const PrintTicketsPage = lazy(() => import('./tickets/PrintTicketsPage'));
const DoorPage = lazy(() => import('./tickets/DoorPage'));

// Organizers and door staff only: not in every attendee's download.
const AttendeesPage = lazy(() => import('./pages/admin/AttendeesPage').then((m) => ({ default: m.AttendeesPage })));

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<EventsPage />} />
        <Route path="events/:id" element={<EventPage />} />
        <Route path="login" element={<LoginPage />} />
        <Route path="signup" element={<SignupPage />} />
        <Route path="forgot-password" element={<ForgotPasswordPage />} />
        <Route path="reset-password" element={<ResetPasswordPage />} />
        <Route path="bookings" element={<RequireAuth><MyBookingsPage /></RequireAuth>} />
        <Route path="notifications" element={<RequireAuth><NotificationsPage /></RequireAuth>} />
        <Route path="admin/events" element={<RequireAuth admin><AdminEventsPage /></RequireAuth>} />
        <Route path="admin/users" element={<RequireAuth admin><AdminUsersPage /></RequireAuth>} />
        <Route path="admin/dashboard" element={<RequireAuth admin><DashboardPage /></RequireAuth>} />
        <Route path="bookings/:id/print" element={<RequireAuth><PrintTicketsPage /></RequireAuth>} />
        <Route path="door" element={<RequireAuth><DoorPage /></RequireAuth>} />

        <Route path="admin/events/:id/attendees" element={<RequireAuth roles={['admin', 'checkin']}><AttendeesPage /></RequireAuth>} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
