import { useState } from 'react';
import type { Role, User } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { Empty, ErrorNotice, Loading, Notice } from '../../components/Status';
import { useSetRole, useUsers } from '../../hooks/queries';
import { useDocumentTitle } from '../../hooks/useDocumentTitle';
import { ROLE_WORDS, ROLES, roleChangedMessage } from '../../lib/roles';

export function AdminUsersPage() {
  useDocumentTitle('Users');
  const { user: me } = useAuth();
  const [role, setRole] = useState<Role | ''>('');
  const users = useUsers(role);
  const setUserRole = useSetRole();
  const [flash, setFlash] = useState<string | null>(null);

  const change = (user: User, next: Role) => {
    setFlash(null);
    setUserRole.mutate(
      { id: user.id, role: next },
      { onSuccess: (u) => setFlash(roleChangedMessage(u.name, u.role ?? next)) },
    );
  };

  return (
    <section className="page">
      <h1>Users</h1>
      <div className="filters">
        <div className="field">
          <label htmlFor="role-filter">Role</label>
          <select id="role-filter" value={role} onChange={(e) => setRole(e.target.value as Role | '')}>
            <option value="">Everyone</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_WORDS[r].many}
              </option>
            ))}
          </select>
        </div>
      </div>
      {flash && <Notice kind="success">{flash}</Notice>}
      {setUserRole.isError && <ErrorNotice error={setUserRole.error} />}
      {users.isPending && <Loading label="Loading users…" />}
      {users.isError && <ErrorNotice error={users.error} onRetry={() => void users.refetch()} />}
      {users.data &&
        (users.data.length === 0 ? (
          <Empty title="Nobody here." />
        ) : (
          <div className="table-scroll">
            <table className="table">
              <caption className="visually-hidden">Users</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                </tr>
              </thead>
              <tbody>
                {users.data.map((u) => (
                  <tr key={u.id}>
                    <th scope="row" className="cell-wrap">
                      {u.name}
                      {u.id === me?.id && <span className="muted"> (you)</span>}
                    </th>
                    <td className="cell-wrap">{u.email}</td>
                    <td>
                      <label className="visually-hidden" htmlFor={`role-${u.id}`}>
                        Role of {u.name}
                      </label>
                      <select
                        id={`role-${u.id}`}
                        value={u.role}
                        disabled={setUserRole.isPending}
                        onChange={(e) => change(u, e.target.value as Role)}
                      >
                        {ROLES.map((r) => (
                          <option key={r} value={r}>
                            {ROLE_WORDS[r].label}
                          </option>
                        ))}
                      </select>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </section>
  );
}
