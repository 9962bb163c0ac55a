// The list's filters. A choice from a list applies at once; typed values (source,
// campaign id, score range) apply on Enter or with the button, so the list does not
// refetch per keystroke.
import { type FormEvent, useEffect, useState } from 'react';
import { formatEnum } from '../../components/format.ts';
import type { FilterParam, LeadsView } from './leads-query-string.ts';
import { CATEGORIES, COMPANY_SIZES, INDUSTRIES, OUTCOMES, PERSONAS } from './lead-values.ts';

const CHOICES: { param: FilterParam; label: string; values: readonly string[] }[] = [
  { param: 'category', label: 'Category', values: CATEGORIES },
  { param: 'industry', label: 'Industry', values: INDUSTRIES },
  { param: 'size', label: 'Company size', values: COMPANY_SIZES },
  { param: 'persona', label: 'Persona', values: PERSONAS },
  { param: 'outcome', label: 'Outcome', values: OUTCOMES },
];

export function LeadsFilters({ filters, onChange }: { filters: LeadsView['filters']; onChange: (filters: LeadsView['filters']) => void }) {
  const [source, setSource] = useState(filters.source ?? '');
  const [campaign, setCampaign] = useState(filters.campaign ?? '');
  const [scoreMin, setScoreMin] = useState(filters.scoreMin ?? '');
  const [scoreMax, setScoreMax] = useState(filters.scoreMax ?? '');
  // The address changed (back button, a shared link): the typed fields follow it.
  useEffect(() => setSource(filters.source ?? ''), [filters.source]);
  useEffect(() => setCampaign(filters.campaign ?? ''), [filters.campaign]);
  useEffect(() => setScoreMin(filters.scoreMin ?? ''), [filters.scoreMin]);
  useEffect(() => setScoreMax(filters.scoreMax ?? ''), [filters.scoreMax]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange({
      ...filters,
      source: source.trim() || undefined,
      campaign: campaign.trim() || undefined,
      scoreMin: scoreMin.trim() || undefined,
      scoreMax: scoreMax.trim() || undefined,
    });
  };
  const active = Object.values(filters).some(Boolean);

  return (
    <form className="filters" aria-label="Filter leads" onSubmit={submit}>
      {CHOICES.map(({ param, label, values }) => (
        <div key={param}>
          <label htmlFor={`leads-filter-${param}`}>{label}</label>
          <select
            id={`leads-filter-${param}`}
            value={filters[param] ?? ''}
            onChange={(event) => onChange({ ...filters, [param]: event.target.value || undefined })}
          >
            <option value="">Any</option>
            {values.map((value) => (
              <option key={value} value={value}>
                {formatEnum(value)}
              </option>
            ))}
          </select>
        </div>
      ))}
      <div>
        <label htmlFor="leads-filter-source">Source</label>
        <input id="leads-filter-source" value={source} onChange={(event) => setSource(event.target.value)} placeholder="e.g. webinar" />
      </div>
      <div>
        <label htmlFor="leads-filter-campaign">Campaign id</label>
        <input id="leads-filter-campaign" value={campaign} onChange={(event) => setCampaign(event.target.value)} />
      </div>
      <div>
        <label htmlFor="leads-filter-score-min">Score from</label>
        <input
          id="leads-filter-score-min"
          type="number"
          min={0}
          max={100}
          className="leads-score"
          value={scoreMin}
          onChange={(event) => setScoreMin(event.target.value)}
        />
      </div>
      <div>
        <label htmlFor="leads-filter-score-max">Score to</label>
        <input
          id="leads-filter-score-max"
          type="number"
          min={0}
          max={100}
          className="leads-score"
          value={scoreMax}
          onChange={(event) => setScoreMax(event.target.value)}
        />
      </div>
      <div className="leads-filter-actions">
        <button type="submit">Apply filters</button>
        {active && (
          <button type="button" className="button-quiet" onClick={() => onChange({})}>
            Clear filters
          </button>
        )}
      </div>
    </form>
  );
}
