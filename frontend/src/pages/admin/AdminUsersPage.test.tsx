import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Role, User } from '../../api/types';
import { AdminUsersPage } from './AdminUsersPage';

const people: User[] = [
  { id: 1, name: 'Ada', email: 'ada@example.com', role: 'admin' },
  { id: 2, name: 'Dora', email: 'dora@example.com', role: 'checkin' },
  { id: 3, name: 'Uma', email: 'uma@example.com', role: 'user' },
];
const asked: Array<Role | ''> = [];
const mutate = vi.fn();

vi.mock('../../auth/AuthContext', () => ({ useAuth: () => ({ user: people[0] }) }));
vi.mock('../../hooks/useDocumentTitle', () => ({ useDocumentTitle: () => {} }));
vi.mock('../../hooks/queries', () => ({
  useUsers: (role: Role | '') => {
    asked.push(role);
    return { isPending: false, isError: false, data: people.filter((u) => !role || u.role === role) };
  },
  useSetRole: () => ({ mutate, isPending: false, isError: false, error: null }),
}));

beforeEach(() => {
  asked.length = 0;
  mutate.mockReset();
});
afterEach(cleanup);

describe('AdminUsersPage', () => {
  it('shows door staff as door staff, not as a user', () => {
    render(<AdminUsersPage />);
    const select = screen.getByLabelText('Role of Dora') as HTMLSelectElement;
    expect(select.value).toBe('checkin');
    expect(select.selectedOptions[0]?.textContent).toBe('Door staff');
    expect([...select.options].map((o) => [o.value, o.textContent])).toEqual([
      ['user', 'User'],
      ['admin', 'Admin'],
      ['checkin', 'Door staff'],
    ]);
  });

  it('filters the list by door staff (`?role=checkin`)', () => {
    render(<AdminUsersPage />);
    const filter = screen.getByLabelText('Role') as HTMLSelectElement;
    expect([...filter.options].map((o) => o.textContent)).toEqual(['Everyone', 'Users', 'Admins', 'Door staff']);
    fireEvent.change(filter, { target: { value: 'checkin' } });
    expect(asked.at(-1)).toBe('checkin');
    expect(screen.queryByLabelText('Role of Uma')).toBeNull();
    expect(screen.getByLabelText('Role of Dora')).toBeTruthy();
  });

  it('makes someone door staff with role `checkin`, and says so', () => {
    render(<AdminUsersPage />);
    fireEvent.change(screen.getByLabelText('Role of Uma'), { target: { value: 'checkin' } });
    expect(mutate).toHaveBeenCalledTimes(1);
    expect(mutate.mock.calls[0]![0]).toEqual({ id: 3, role: 'checkin' });
    const { onSuccess } = mutate.mock.calls[0]![1] as { onSuccess: (u: User) => void };
    onSuccess({ ...people[2]!, role: 'checkin' });
    return screen.findByText('Uma is now door staff.');
  });
});
