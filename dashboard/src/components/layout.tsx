// The frame around every page: a skip link, the navigation (the current page
// marked for screen readers), who is signed in, and sign-out.
import type { ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { useSession } from '../auth/session.tsx';
import { clearToken } from '../auth/token-store.ts';
import { NAVIGATION, PAGES } from '../routes.ts';

export function Layout({ children }: { children: ReactNode }) {
  const [location] = useLocation();
  const session = useSession();
  const isCurrent = (path: string) => (path === PAGES.overview ? location === path : location === path || location.startsWith(`${path}/`));
  return (
    <div className="layout">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top-bar">
        <span className="brand">Baton</span>
        <nav aria-label="Dashboard">
          <ul>
            {NAVIGATION.map(({ path, label }) => (
              <li key={path}>
                <Link href={path} aria-current={isCurrent(path) ? 'page' : undefined}>
                  {label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span>
            {session.subject} <span className="roles">({session.roles.join(', ')})</span>
          </span>
          <button type="button" className="button-quiet" onClick={() => clearToken()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
