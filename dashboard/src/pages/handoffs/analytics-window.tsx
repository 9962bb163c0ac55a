// The window the handoff figures cover: the last hour, day or week (moving with
// now, so live updates keep it current), or a fixed since/until a user types.
import { useId } from 'react';

export type WindowPreset = 'hour' | 'day' | 'week' | 'custom';

export interface WindowChoice {
  preset: WindowPreset;
  /** datetime-local values, used when preset is custom. */
  since: string;
  until: string;
}

const PRESET_MS: Record<Exclude<WindowPreset, 'custom'>, number> = { hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000 };

export const PRESET_LABELS: Record<WindowPreset, string> = {
  hour: 'Last hour',
  day: 'Last 24 hours',
  week: 'Last 7 days',
  custom: 'Custom',
};

/** The ISO instants to ask for; a custom bound left empty is left to the server (until: now; since: a day before until). */
export function windowBounds(choice: WindowChoice, now: number): { since?: string; until?: string } {
  if (choice.preset !== 'custom') return { since: new Date(now - PRESET_MS[choice.preset]).toISOString(), until: new Date(now).toISOString() };
  return {
    ...(choice.since ? { since: new Date(choice.since).toISOString() } : {}),
    ...(choice.until ? { until: new Date(choice.until).toISOString() } : {}),
  };
}

export function AnalyticsWindow({ value, onChange }: { value: WindowChoice; onChange: (next: WindowChoice) => void }) {
  const id = useId();
  return (
    <fieldset className="filters analytics-window">
      <legend>Window</legend>
      <label htmlFor={`${id}-preset`}>Show</label>
      <select id={`${id}-preset`} value={value.preset} onChange={(event) => onChange({ ...value, preset: event.target.value as WindowPreset })}>
        {(Object.keys(PRESET_LABELS) as WindowPreset[]).map((preset) => (
          <option key={preset} value={preset}>
            {PRESET_LABELS[preset]}
          </option>
        ))}
      </select>
      {value.preset === 'custom' && (
        <>
          <label htmlFor={`${id}-since`}>Since</label>
          <input id={`${id}-since`} type="datetime-local" value={value.since} onChange={(event) => onChange({ ...value, since: event.target.value })} />
          <label htmlFor={`${id}-until`}>Until</label>
          <input id={`${id}-until`} type="datetime-local" value={value.until} onChange={(event) => onChange({ ...value, until: event.target.value })} />
        </>
      )}
    </fieldset>
  );
}
