// The reports' window: rows created in [since, until), either end open when absent.
export interface ReportingWindow {
  since?: Date | null;
  until?: Date | null;
}

/** A Prisma `where` on `createdAt` for the window. */
export function createdWithin(window: ReportingWindow): { createdAt: { gte?: Date; lt?: Date } } {
  return { createdAt: { ...(window.since ? { gte: window.since } : {}), ...(window.until ? { lt: window.until } : {}) } };
}
