import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/errors';
import { RESET_LINK_KEY } from '../lib/resetLink';
import { LINK_INVALID, ResetPasswordPage } from './ResetPasswordPage';

const confirm = vi.fn();
vi.mock('../api/endpoints', () => ({ api: { confirmPasswordReset: (body: unknown) => confirm(body) } }));
vi.mock('../auth/AuthContext', () => ({ useAuth: () => ({ token: null, logout: () => {} }) }));

function Address() {
  const { pathname, search } = useLocation();
  return <output data-testid="address">{pathname + search}</output>;
}

function visit(path: string) {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <Routes>
        <Route path="/reset-password" element={<ResetPasswordPage />} />
      </Routes>
      <Address />
    </MemoryRouter>,
  );
}

beforeEach(() => {
  sessionStorage.clear();
  confirm.mockReset();
});
afterEach(cleanup);

describe('ResetPasswordPage', () => {
  it('takes the secret out of the address into sessionStorage, and a reload still works', async () => {
    visit('/reset-password?uid=MQ&token=abc-123');
    expect(await screen.findByTestId('address')).toHaveProperty('textContent', '/reset-password');
    expect(JSON.parse(sessionStorage.getItem(RESET_LINK_KEY) ?? 'null')).toEqual({ uid: 'MQ', token: 'abc-123' });
    cleanup();

    // The reload: no uid/token in the address, the form still works with the stored ones.
    visit('/reset-password');
    expect(screen.queryByText(LINK_INVALID)).toBeNull();
    confirm.mockResolvedValue({ id: 1, name: 'Ada', email: 'ada@example.com', role: 'user' });
    fireEvent.change(screen.getByLabelText(/New password/), { target: { value: 'a-brand-new-secret-42' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save the new password' }));
    await screen.findByRole('heading', { name: 'Password changed' });
    expect(confirm).toHaveBeenCalledWith({ uid: 'MQ', token: 'abc-123', password: 'a-brand-new-secret-42' });
    // Spent: forgotten.
    expect(sessionStorage.getItem(RESET_LINK_KEY)).toBeNull();
  });

  it('lets a link in the address replace a stored one', async () => {
    sessionStorage.setItem(RESET_LINK_KEY, JSON.stringify({ uid: 'old', token: 'spent' }));
    visit('/reset-password?uid=new&token=fresh');
    expect(await screen.findByTestId('address')).toHaveProperty('textContent', '/reset-password');
    confirm.mockRejectedValue(new ApiError(400, 'Invalid or expired token'));
    fireEvent.change(screen.getByLabelText(/New password/), { target: { value: 'a-brand-new-secret-42' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save the new password' }));
    await screen.findByText(LINK_INVALID);
    expect(confirm).toHaveBeenCalledWith({ uid: 'new', token: 'fresh', password: 'a-brand-new-secret-42' });
  });

  it('says the link is invalid when neither the address nor this tab has one', () => {
    visit('/reset-password');
    expect(screen.getByText(LINK_INVALID)).toBeTruthy();
  });
});
