// The dashboard: signed out, the sign-in page at any address (signing in stays on
// it); signed in, one API client for the token and the page the address names.
// Pages load on demand, so the first page does not wait for the others' code.
import { lazy, Suspense, useEffect, useMemo, useSyncExternalStore } from 'react';
import { Provider } from 'urql';
import { Redirect, Route, Switch } from 'wouter';
import { SessionProvider } from './auth/session.tsx';
import { currentToken, onTokenChange } from './auth/token-store.ts';
import { Layout } from './components/layout.tsx';
import { Loading } from './components/loading.tsx';
import { createDashboardClient } from './graphql/client.ts';
import { PAGES } from './routes.ts';

// Signed in, the sign-in page's code (and its OIDC client) is never needed: it loads on demand too.
const SignInPage = lazy(() => import('./auth/sign-in-page.tsx').then(({ SignInPage }) => ({ default: SignInPage })));
const OverviewPage = lazy(() => import('./pages/overview/overview-page.tsx'));
const LeadsPage = lazy(() => import('./pages/leads/leads-page.tsx'));
const LeadPage = lazy(() => import('./pages/lead/lead-page.tsx'));
const EscalationsPage = lazy(() => import('./pages/escalations/escalations-page.tsx'));
const CampaignsPage = lazy(() => import('./pages/campaigns/campaigns-page.tsx'));
const CampaignPage = lazy(() => import('./pages/campaign/campaign-page.tsx'));
const HandoffsPage = lazy(() => import('./pages/handoffs/handoffs-page.tsx'));
const MemoryPage = lazy(() => import('./pages/memory/memory-page.tsx'));

export function App() {
  const token = useSyncExternalStore(onTokenChange, currentToken);
  if (!token)
    return (
      <Suspense fallback={<Loading />}>
        <SignInPage />
      </Suspense>
    );
  return <SignedIn token={token} />;
}

function SignedIn({ token }: { token: string }) {
  const api = useMemo(() => createDashboardClient(token), [token]);
  useEffect(() => () => api.dispose(), [api]);
  return (
    <Provider value={api.client}>
      <SessionProvider>
        <Layout>
          <Suspense fallback={<Loading />}>
            <Switch>
              <Route path={PAGES.overview} component={OverviewPage} />
              <Route path={PAGES.leads} component={LeadsPage} />
              <Route path={PAGES.lead} component={LeadPage} />
              <Route path={PAGES.escalations} component={EscalationsPage} />
              <Route path={PAGES.campaigns} component={CampaignsPage} />
              <Route path={PAGES.campaign} component={CampaignPage} />
              <Route path={PAGES.handoffs} component={HandoffsPage} />
              <Route path={PAGES.memory} component={MemoryPage} />
              <Route path={PAGES.signIn}>
                <Redirect to={PAGES.overview} replace />
              </Route>
              <Route>
                <p>No page here. The navigation above lists every page.</p>
              </Route>
            </Switch>
          </Suspense>
        </Layout>
      </SessionProvider>
    </Provider>
  );
}
