// The maskers of personal data (src/domain/pii.ts) and the schema's declaration
// of every field that can identify a person.
import { isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { isPiiKey, maskContact, maskEmail, maskJson, maskName, maskPhone, maskText, PII_NOTE } from '../../src/domain/pii.js';
import { schema } from '../../src/schema/index.js';
import { piiKindOf } from '../../src/schema/pii-masking.js';

describe('maskEmail', () => {
  it('keeps the first letter and the domain', () => {
    expect(maskEmail('jane.doe@acme.com')).toBe('j***@acme.com');
    expect(maskEmail('j@acme.com')).toBe('j***@acme.com');
    expect(maskEmail('@acme.com')).toBe('***@acme.com');
    expect(maskEmail('élodie@exemple.fr')).toBe('é***@exemple.fr');
  });
  it('masks a value without @ as a name, and leaves empty empty', () => {
    expect(maskEmail('janedoe')).toBe('j***');
    expect(maskEmail('')).toBe('');
  });
});

describe('maskPhone', () => {
  it('keeps the country code or first group and the last two digits', () => {
    expect(maskPhone('+1 415 555 0112')).toBe('+1 *** *** 12');
    expect(maskPhone('+44 20 7946 0958')).toBe('+44 *** *** 58');
    expect(maskPhone('+33-1-23-45-67-89')).toBe('+33 *** *** 89');
    expect(maskPhone('(415) 555-0112')).toBe('415 *** *** 12');
  });
  it('keeps one digit of an ungrouped number', () => {
    expect(maskPhone('+14155550112')).toBe('+1 *** *** 12');
    expect(maskPhone('4155550112')).toBe('4 *** *** 12');
  });
  it('keeps nothing of a number too short to hide, or of none', () => {
    expect(maskPhone('1234')).toBe('***');
    expect(maskPhone('')).toBe('***');
    expect(maskPhone('call me')).toBe('***');
  });
});

describe('maskName, maskContact, maskText', () => {
  it('masks a name to its first letter', () => {
    expect(maskName('Jane Doe')).toBe('J***');
    expect(maskName('  ')).toBe('');
  });
  it('masks a recipient by what it is', () => {
    expect(maskContact('jane@acme.com')).toBe('j***@acme.com');
    expect(maskContact('+1 415 555 0112')).toBe('+1 *** *** 12');
    expect(maskContact('Jane Doe Acme')).toBe('J***');
  });
  it('masks addresses and numbers quoted in free text, nothing else', () => {
    expect(maskText('Call +1 415 555 0112 and write to jane@acme.com.')).toBe('Call +1 *** *** 12 and write to j***@acme.com.');
    expect(maskText('Budget 2026: 50000 USD')).toBe('Budget 2026: 50000 USD');
  });
});

describe('maskJson', () => {
  it('masks values under personal keys at any depth, case-insensitively', () => {
    const masked = maskJson({
      Email: 'jane@acme.com',
      contact: { PHONE: '+1 415 555 0112', first_name: 'Jane', note: 'x' },
      people: [{ Last_Name: 'Doe' }],
      company: 'Acme',
      budget: 5000,
      mobile: 4155550112,
      remark: 'reach her at jane@acme.com',
    });
    expect(masked).toEqual({
      Email: 'j***@acme.com',
      contact: { PHONE: '+1 *** *** 12', first_name: 'J***', note: 'x***' },
      people: [{ Last_Name: 'D***' }],
      company: 'Acme',
      budget: 5000,
      mobile: '4 *** *** 12',
      remark: 'reach her at j***@acme.com',
    });
  });
  it('knows the personal keys', () => {
    for (const key of [
      'email',
      'e-mail',
      'contact_email',
      'phone',
      'phone_number',
      'name',
      'firstName',
      'LAST_NAME',
      'full name',
      'recipient',
      'contactPerson',
    ]) {
      expect(isPiiKey(key), key).toBe(true);
    }
    for (const key of ['industry', 'company', 'budget', 'interest', 'preferred_channel']) expect(isPiiKey(key), key).toBe(false);
  });
  it('passes null, numbers and booleans outside personal keys', () => {
    expect(maskJson(null)).toBeNull();
    expect(maskJson({ a: 1, b: true, c: null })).toEqual({ a: 1, b: true, c: null });
  });
});

describe('the schema', () => {
  const fields = Object.values(schema.getTypeMap())
    .filter((type) => isObjectType(type) && !type.name.startsWith('__'))
    .flatMap((type) => (isObjectType(type) ? Object.values(type.getFields()).map((field) => ({ name: `${type.name}.${field.name}`, field })) : []));

  // A field whose name says it holds contact data, or a JSON field (free-form facts), must be declared
  // (`known`: names of things, aggregates and flags, not of people):
  // a new one that is not fails here.
  const personalName = /email|phone|mobile|recipient|contact|firstname|lastname|fullname|^name$/i;
  const known = new Set([
    'Campaign.name',
    'EvidenceItem.name',
    'KnowledgeNode.name',
    'KnowledgeNode.properties',
    'AgentStatus.name',
    'DependencyStatus.name',
    'LeadProfile.doNotContact',
  ]);

  it('declares every field named like contact data, and every JSON field, as PII', () => {
    const undeclared = fields
      .filter(({ name, field }) => !known.has(name) && (personalName.test(name.split('.')[1] ?? '') || String(field.type).replace(/[![\]]/g, '') === 'JSON'))
      .filter(({ field }) => !piiKindOf(field.extensions))
      .map(({ name }) => name);
    expect(undeclared).toEqual([]);
  });

  it('notes each declared field in its description', () => {
    const declared = fields.filter(({ field }) => piiKindOf(field.extensions));
    expect(declared.map(({ name }) => name).sort()).toEqual(
      expect.arrayContaining([
        'Lead.email',
        'Lead.phone',
        'LeadProfile.attributes',
        'Handoff.context',
        'ConversationContext.extractedSlots',
        'OutboundMessage.recipient',
        'Interaction.metadata',
      ]),
    );
    for (const { field } of declared) expect(field.description).toContain(PII_NOTE);
  });
});

describe('maskText leaves ids and dates alone', () => {
  it('does not take a date-time, a UUID or a date for a number', () => {
    for (const text of [
      '2026-12-06T22:20:15.091Z',
      '76b877f9-047d-48ad-94de-b1b31bf9b794',
      'mailbox:baton-76b877f9-047d-48ad',
      'due 2026-12-06',
      'v1.2.3456789',
    ]) {
      expect(maskText(text), text).toBe(text);
    }
  });
});
