// Personal data: the kinds of values that can identify a person, and how each is
// masked for a caller who may not see it in clear. The GraphQL schema declares
// each exposed PII field once with one of these kinds (src/schema/pii-masking.ts
// reads the declaration), so later encryption, audit and erasure can be driven
// from the same list.

/**
 * email, phone, name: a field holding exactly that. contact: a recipient that is
 * any of them (or a search made of a name). text: free text that may quote an
 * address or a number. json: an object whose values under personal keys
 * (PII_KEY) are personal, at any depth.
 */
export const PII_KINDS = ['email', 'phone', 'name', 'contact', 'text', 'json'] as const;
export type PiiKind = (typeof PII_KINDS)[number];

/** The note every PII field's description ends with, so dashboard authors know. */
export const PII_NOTE = 'PII: masked for viewers.';

const MASK = '***';

/** `jane.doe@acme.com` → `j***@acme.com`; no `@` → masked as a name. */
export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 0) return maskName(value);
  const local = value.slice(0, at);
  return `${local ? [...local][0] : ''}${MASK}${value.slice(at)}`;
}

/**
 * Keeps the country code (or first group) and the last two digits: `+1 415 555 0112`
 * → `+1 *** *** 12`. Too few digits to keep anything → `***`.
 */
export function maskPhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  if (digits.length < 5) return MASK;
  const trimmed = value.trim();
  const plus = trimmed.startsWith('+') ? '+' : '';
  const firstGroup =
    trimmed
      .split(/[\s.\-()/]+/)
      .filter(Boolean)[0]
      ?.replace(/\D/g, '') ?? '';
  // A grouped number keeps its first group (the country code); an ungrouped one only its first digit.
  const lead = firstGroup.length > 0 && firstGroup.length <= 4 && firstGroup.length < digits.length - 2 ? firstGroup : digits.slice(0, 1);
  return `${plus}${lead} ${MASK} ${MASK} ${digits.slice(-2)}`;
}

/** `Jane Doe` → `J***` (its first letter or digit: `"Jane"` → `J***`); empty stays empty. */
export function maskName(value: string): string {
  const trimmed = value.trim();
  if (!trimmed) return '';
  const first = trimmed.match(/[\p{L}\p{N}]/u)?.[0];
  return first ? `${first}${MASK}` : MASK;
}

const EMAIL_PATTERN = /[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[^\s@<>()"',;:]+/g;
// Seven or more digits, optionally led by + and grouped by spaces, dots, dashes or parentheses,
// standing alone: not part of a word, an id (a UUID, a message id) or a date-time (2026-12-06T10:00).
const PHONE_PATTERN = /(?<![\w\-.:])\+?\d[\d\s.\-()]{5,}\d(?![\w\-:])/g;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A recipient: an address, a number, or else a name (a LinkedIn search, a notice's addressee). */
export function maskContact(value: string): string {
  if (value.includes('@')) return maskEmail(value);
  if (/^\+?[\d\s.\-()/]+$/.test(value.trim()) && /\d/.test(value)) return maskPhone(value);
  return maskName(value);
}

/** Free text: addresses and numbers quoted in it are masked; the rest stays readable. */
export function maskText(value: string): string {
  return value
    .replace(EMAIL_PATTERN, (match) => maskEmail(match))
    .replace(PHONE_PATTERN, (match) => (match.replace(/\D/g, '').length >= 7 && !DATE.test(match) ? maskPhone(match) : match));
}

/** Whether free text quotes an address or a number (what maskText would mask). */
export function quotesPersonalData(value: string): boolean {
  return maskText(value) !== value;
}

/**
 * Keys whose values identify a person, compared case-insensitively without `_`,
 * `-` or spaces: email, phone, name, first_name, contact_email, recipient, a message's from/to...
 */
const PII_KEY =
  /^(e?mail.*|.*email|phone.*|.*phone|mobile.*|tel|telephone|fax|name|firstname|lastname|fullname|givenname|familyname|surname|middlename|displayname|contact.*|.*contact|recipient.*|address|streetaddress|linkedin.*|from|sender|replyto|to|cc|bcc)$/;

export function isPiiKey(key: string): boolean {
  return PII_KEY.test(key.toLowerCase().replace(/[\s_-]/g, ''));
}

/** The masker for a value found under a personal key: guessed from the key, else from the value. */
function maskUnderKey(key: string, value: unknown): unknown {
  const normalized = key.toLowerCase().replace(/[\s_-]/g, '');
  const mask = (text: string) =>
    normalized.includes('mail') ? maskEmail(text) : /phone|mobile|tel|fax/.test(normalized) ? maskPhone(text) : maskContact(text);
  return maskDeep(value, mask);
}

/** Every string under `value` (nested objects and lists) through `mask`; numbers under a personal key too. */
function maskDeep(value: unknown, mask: (text: string) => string): unknown {
  if (typeof value === 'string') return mask(value);
  if (typeof value === 'number') return mask(String(value));
  if (Array.isArray(value)) return value.map((item) => maskDeep(item, mask));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskDeep(item, mask)]));
  return value;
}

/** A JSON value with every value under a personal key masked, at any depth; other strings lose quoted addresses and numbers. */
export function maskJson(value: unknown): unknown {
  if (typeof value === 'string') return maskText(value);
  if (Array.isArray(value)) return value.map(maskJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, isPiiKey(key) ? maskUnderKey(key, item) : maskJson(item)]));
  }
  return value;
}

/** Masks one value of a field declared with `kind`; null and undefined pass. */
export function maskPii(kind: PiiKind, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (kind === 'json') return maskJson(value);
  if (typeof value !== 'string') return value;
  switch (kind) {
    case 'email':
      return maskEmail(value);
    case 'phone':
      return maskPhone(value);
    case 'name':
      return maskName(value);
    case 'contact':
      return maskContact(value);
    case 'text':
      return maskText(value);
  }
}
