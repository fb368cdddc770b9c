import type { ReactNode } from 'react';

/**
 * A wide table's own horizontal scroller (the page itself never scrolls sideways on a phone); focusable
 * and named, so a keyboard can scroll it and a screen reader announces what it holds.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
