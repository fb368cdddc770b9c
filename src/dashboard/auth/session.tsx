import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import {
  api,
  ApiError,
  call,
  TOKEN_STORAGE_KEY,
  tokenStore,
  whenTokenMoved,
  whenUnauthorized,
  type Schemas,
} from '../api/client';
import type { MessageKey } from '../i18n/id';

export type Me = Schemas['MeDto'];

export type SessionState =
  { status: 'starting' } | { status: 'signed-out'; notice?: MessageKey } | { status: 'signed-in'; me: Me };

export interface Session {
  state: SessionState;
  login: (email: string, password: string) => Promise<void>;
  signup: (sellerName: string, email: string, password: string) => Promise<void>;
  /** Ends this session at the API (its token stops working), then forgets the token here. */
  logout: () => Promise<void>;
  /** Forgets the token here, when the API has ended the session already (logging out everywhere). */
  forget: () => void;
  /** Carries on with a new token for the same person (after a password change). */
  adoptToken: (accessToken: string) => void;
}

const SessionContext = createContext<Session | null>(null);

const loadMe = () => call(api.GET('/v1/me'));
const loadMeWith = (token: string) =>
  call(api.GET('/v1/me', { headers: { authorization: `Bearer ${token}` } }));

/**
 * Who is logged in. The bearer token lives in localStorage, so a reload asks `GET /v1/me` and carries on;
 * an expired or revoked token (any 401 to a request that carried it) signs out with a message. Another tab
 * of the browser logging out signs this one out too; logging in as someone else there carries this one on
 * as that person, once `GET /v1/me` has said who it is (until then it goes on as the first, with its token).
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>(() =>
    tokenStore.get() ? { status: 'starting' } : { status: 'signed-out' },
  );

  const expire = useCallback(() => {
    tokenStore.clear();
    setState({ status: 'signed-out', notice: 'auth.sessionExpired' });
  }, []);

  // The stored token this tab is finding the owner of, so that many requests asking at once ask once.
  const following = useRef<string | null | undefined>(undefined);
  const follow = useCallback(() => {
    const stored = tokenStore.stored();
    if (stored === tokenStore.get() || stored === following.current) return;
    following.current = stored;
    if (stored === null) {
      following.current = undefined;
      tokenStore.clear();
      setState({ status: 'signed-out', notice: 'auth.loggedOutElsewhere' });
      return;
    }
    loadMeWith(stored).then(
      (me) => {
        following.current = undefined;
        // Another tab may have moved on again meanwhile: then its newer token is followed instead.
        if (tokenStore.stored() !== stored) return follow();
        tokenStore.set(stored);
        setState({ status: 'signed-in', me });
      },
      (e: unknown) => {
        following.current = undefined;
        if (tokenStore.stored() !== stored) return follow();
        // Offline: this tab goes on as before, with its own token, and asks again at its next request.
        if (!(e instanceof ApiError && e.status === 401)) return;
        tokenStore.clear();
        setState({ status: 'signed-out', notice: 'auth.sessionExpired' });
      },
    );
  }, []);

  useEffect(() => {
    const onStorage = (e: StorageEvent) => {
      if (e.key === TOKEN_STORAGE_KEY || e.key === null) follow();
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, [follow]);

  useEffect(() => {
    whenUnauthorized(expire);
    whenTokenMoved(follow);
    if (!tokenStore.get()) return;
    loadMe().then(
      (me) => setState({ status: 'signed-in', me }),
      (e: unknown) => {
        // A 401 already signed out through `expire`; anything else (offline) leaves the token for a retry.
        if (!(e instanceof ApiError && e.status === 401)) setState({ status: 'signed-out' });
      },
    );
  }, [expire, follow]);

  const start = useCallback(async (accessToken: string) => {
    tokenStore.set(accessToken);
    setState({ status: 'signed-in', me: await loadMe() });
  }, []);

  const forget = useCallback(() => {
    tokenStore.clear();
    setState({ status: 'signed-out', notice: 'auth.loggedOut' });
  }, []);

  const value = useMemo<Session>(
    () => ({
      state,
      login: async (email, password) =>
        start((await call(api.POST('/v1/auth/login', { body: { email, password } }))).accessToken),
      signup: async (sellerName, email, password) =>
        start(
          (await call(api.POST('/v1/auth/signup', { body: { sellerName, email, password } }))).accessToken,
        ),
      logout: async () => {
        try {
          await call(api.POST('/v1/auth/logout', { body: {} }));
        } catch {
          // Offline, or the session had ended already: the token is forgotten here all the same.
        }
        forget();
      },
      forget,
      adoptToken: (accessToken) => tokenStore.set(accessToken),
    }),
    [state, start, forget],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
