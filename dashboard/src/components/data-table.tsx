// A table's scroll box (its `position: relative` is in styles.css). Wide tables scroll sideways in a narrow panel or a
// tablet's width; a scrolling region must be reachable by keyboard (WCAG 2.1.1),
// so the box is focusable and named after its table. It is also the containing block
// of what its cells position (visually hidden text): otherwise that text sits at its
// place in the wide table, outside the box, and widens the whole page.
import type { ReactNode } from 'react';

export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region needs focus to be scrolled by keyboard
    <section className="table-wrap" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
