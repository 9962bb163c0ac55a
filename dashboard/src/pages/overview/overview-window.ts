// The windows the overview offers, each with the bucket its leads-per-time chart uses
// (hours while that stays readable, days beyond).
export const WINDOWS = [
  { id: '24h', label: 'Last 24 hours', hours: 24, bucket: 'HOUR' },
  { id: '7d', label: 'Last 7 days', hours: 24 * 7, bucket: 'HOUR' },
  { id: '30d', label: 'Last 30 days', hours: 24 * 30, bucket: 'DAY' },
] as const;

export type OverviewWindow = (typeof WINDOWS)[number];

export const DEFAULT_WINDOW: OverviewWindow = WINDOWS[0];

export function windowById(id: string | null): OverviewWindow {
  return WINDOWS.find((window) => window.id === id) ?? DEFAULT_WINDOW;
}
