// How figures read on every page: one place, so a rate is a rate everywhere.
const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });
const currency = new Intl.NumberFormat('en', { style: 'currency', currency: 'USD', maximumFractionDigits: 2 });
const dateTime = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });

const NONE = '—';

export const formatInteger = (value: number | null | undefined) => (value == null ? NONE : integer.format(value));
export const formatDecimal = (value: number | null | undefined) => (value == null ? NONE : decimal.format(value));
export const formatUsd = (value: number | null | undefined) => (value == null ? NONE : currency.format(value));
/** 0.1234 → 12.3 %. */
export const formatPercent = (ratio: number | null | undefined, digits = 1) => (ratio == null ? NONE : `${(ratio * 100).toFixed(digits)} %`);
export const formatMs = (ms: number | null | undefined) => (ms == null ? NONE : ms < 1_000 ? `${integer.format(ms)} ms` : `${decimal.format(ms / 1_000)} s`);
export const formatDateTime = (iso: string | null | undefined) => (iso ? dateTime.format(new Date(iso)) : NONE);
/** TRIAGE_CATEGORY → Triage category. */
export const formatEnum = (value: string | null | undefined) => (value ? value.charAt(0) + value.slice(1).toLowerCase().replaceAll('_', ' ') : NONE);
