// Who is signed in and what they may do, asked of the API (`me`), never guessed
// from the token: a token from an identity provider carries its roles in a claim
// only the server knows how to read. Pages offer an action only when the
// permission for it is here (viewers read, operators process leads, managers
// resolve escalations, admins do all); the API enforces the same rules.
import { createContext, type ReactNode, useContext } from 'react';
import { useQuery } from 'urql';
import { MeDocument, type MeQuery } from '../__generated__/graphql.ts';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Loading } from '../components/loading.tsx';

export type Permission = 'read' | 'processLeads' | 'supplyContext' | 'resolveEscalations' | 'admin';

export interface Session {
  subject: string;
  roles: readonly string[];
  can(permission: Permission): boolean;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [{ data, error, fetching }] = useQuery({ query: MeDocument, requestPolicy: 'network-only' });
  if (error) return <ErrorNotice error={error} title="Signing in failed" />;
  if (fetching || !data) return <Loading label="Signing in" />;
  return <SessionContext.Provider value={sessionOf(data.me)}>{children}</SessionContext.Provider>;
}

function sessionOf(me: MeQuery['me']): Session {
  return { subject: me.subject, roles: me.roles, can: (permission) => me.permissions.includes(permission) };
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
