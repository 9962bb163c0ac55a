// Every page's frame: its heading (also the document title, which screen readers
// announce on navigation) and its actions.
import { type ReactNode, useEffect } from 'react';

export function Page({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Baton`;
  }, [title]);
  return (
    <>
      <header className="page-header">
        <h1>{title}</h1>
        {actions && <div className="page-actions">{actions}</div>}
      </header>
      {children}
    </>
  );
}

/** A titled block of a page. */
export function Panel({ title, children, wide = false }: { title: string; children: ReactNode; wide?: boolean }) {
  const id = `panel-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <section className={wide ? 'panel panel-wide' : 'panel'} aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}
