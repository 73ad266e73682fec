import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useLocation, useNavigate } from 'react-router';
import { onUnauthorized, tokenStore } from '../api/client';
import { api } from '../api/endpoints';
import type { User } from '../api/types';
import { clearUserData } from './userData';

interface AuthState {
  token: string | null;
  user: User | null;
  /** True while a stored token is being checked with /auth/me. */
  loading: boolean;
  /** Why /auth/me failed, when it did for a reason other than an expired token. */
  error: unknown;
  /** The last token was refused (expired or invalid) and nobody has logged in since. */
  expired: boolean;
  retry: () => void;
  login: (email: string, password: string) => Promise<User>;
  logout: () => void;
}

const AuthContext = createContext<AuthState | null>(null);

export const ME_KEY = ['me'] as const;

/** Where to come back to after logging in: only paths inside the app. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(() => tokenStore.get());
  const [expired, setExpired] = useState(false);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();

  const me = useQuery({
    queryKey: [...ME_KEY, token],
    queryFn: api.me,
    enabled: token !== null,
    staleTime: 5 * 60_000,
    retry: false,
  });

  // Any 401 from an authenticated call: the session is over and its data forgotten. After
  // something the person did (a booking, a cancellation), go to login, then come back. After a
  // read, stay: a private page sends them to login itself (RequireAuth), a public one (the
  // bell's poll on an event page) carries on logged out and says so (Layout).
  const here = `${location.pathname}${location.search}`;
  useEffect(() => {
    onUnauthorized(({ action }) => {
      setToken(null);
      setExpired(true);
      clearUserData(queryClient);
      if (action && location.pathname !== '/login') {
        navigate(`/login?next=${encodeURIComponent(here)}&expired=1`, { replace: true });
      }
    });
    return () => onUnauthorized(null);
  }, [navigate, queryClient, here, location.pathname]);

  // Another tab logged out, or in as someone (else): this tab's requests already carry the
  // stored token, so it takes that session too and forgets the last person's data, instead of
  // showing one person's name and bookings while acting as another (or as nobody).
  useEffect(
    () =>
      tokenStore.onOtherTab((stored) => {
        if (stored === token) return;
        clearUserData(queryClient);
        setToken(stored);
        setExpired(false);
      }),
    [token, queryClient],
  );

  const login = useCallback(
    async (email: string, password: string) => {
      const { access_token } = await api.login({ email, password });
      tokenStore.set(access_token);
      const user = await api.me();
      // Another person may have used this tab: nothing of theirs may show.
      clearUserData(queryClient);
      queryClient.setQueryData([...ME_KEY, access_token], user);
      setToken(access_token);
      setExpired(false);
      return user;
    },
    [queryClient],
  );

  const logout = useCallback(() => {
    tokenStore.clear();
    setToken(null);
    setExpired(false);
    clearUserData(queryClient);
  }, [queryClient]);

  const value = useMemo<AuthState>(
    () => ({
      token,
      user: token ? (me.data ?? null) : null,
      loading: token !== null && me.isPending,
      error: me.error,
      expired,
      retry: () => void me.refetch(),
      login,
      logout,
    }),
    [token, me.data, me.isPending, me.error, me.refetch, expired, login, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth must be used inside <AuthProvider>');
  return ctx;
}
