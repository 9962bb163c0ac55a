// What a page shows with nothing to show yet: what would appear here, and what to do next.
import type { ReactNode } from 'react';

export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="empty-state">
      <p className="empty-state-title">{title}</p>
      <div className="empty-state-body">{children}</div>
    </div>
  );
}
