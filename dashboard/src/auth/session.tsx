// Who is signed in and what they may do, asked of the API (`me`), never guessed
// from the token: a token from an identity provider carries its roles in a claim
// only the server knows how to read. Pages offer an action only when the
// permission for it is here (viewers read, operators process leads, managers
// resolve escalations, admins do all); the API enforces the same rules.
// Pages render while `me` is on its way (their own queries start at once, not
// after it); until it answers, no action is offered.
import { createContext, type ReactNode, useContext } from 'react';
import { useQuery } from 'urql';
import { MeDocument, type MeQuery } from './__generated__/graphql.ts';
import { ErrorNotice } from '../components/error-notice.tsx';

export type Permission = 'read' | 'processLeads' | 'supplyContext' | 'resolveEscalations' | 'admin';

export interface Session {
  /** Empty until `me` answers. */
  subject: string;
  roles: readonly string[];
  can(permission: Permission): boolean;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [{ data, error }] = useQuery({ query: MeDocument, requestPolicy: 'network-only' });
  if (error) return <ErrorNotice error={error} title="Signing in failed" />;
  return <SessionContext.Provider value={data ? sessionOf(data.me) : PENDING}>{children}</SessionContext.Provider>;
}

const PENDING: Session = { subject: '', roles: [], can: () => false };

function sessionOf(me: MeQuery['me']): Session {
  return { subject: me.subject, roles: me.roles, can: (permission) => me.permissions.includes(permission) };
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
