// The frame around every page: a skip link, the navigation (the current page
// marked for screen readers), who is signed in, and sign-out.
import { type ReactNode, useEffect, useRef } from 'react';
import { Link, useLocation } from 'wouter';
import { useSession } from '../auth/session.tsx';
import { clearToken } from '../auth/token-store.ts';
import { NAVIGATION, PAGES } from '../routes.ts';

export function Layout({ children }: { children: ReactNode }) {
  const [location] = useLocation();
  const session = useSession();
  const main = useRef<HTMLElement>(null);
  const visited = useRef(location);
  // After a move to another page, focus goes to its content, as a full page load would put
  // it at the top: keyboard users do not tab through the navigation again, screen readers read on.
  useEffect(() => {
    if (visited.current === location) return;
    visited.current = location;
    main.current?.focus();
  }, [location]);
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
          {session.subject && (
            <span>
              {session.subject} <span className="roles">({session.roles.join(', ')})</span>
            </span>
          )}
          <button type="button" className="button-quiet" onClick={() => clearToken()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1} ref={main}>
        {children}
      </main>
    </div>
  );
}
