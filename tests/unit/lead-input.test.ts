// The domain rules for accepting a lead: leadInputSchema.
import { describe, expect, it } from 'vitest';
import { leadInputSchema } from '../../src/domain/lead.js';

const specExample = { leadId: 'lead-001', industry: 'TECHNOLOGY', companySize: 'ENTERPRISE', source: 'organic' };

/** The distinct paths of the issues a candidate lead raises (empty when it is accepted). */
function issuePaths(input: unknown): string[] {
  const result = leadInputSchema.safeParse(input);
  return result.success ? [] : [...new Set(result.error.issues.map((issue) => issue.path.join('.')))];
}

function issueMessages(input: unknown): string[] {
  const result = leadInputSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
}

describe('leadInputSchema', () => {
  describe('accepts', () => {
    it('the specification example', () => {
      expect(leadInputSchema.parse(specExample)).toEqual(specExample);
    });

    it('a complete lead', () => {
      const lead = {
        ...specExample,
        persona: 'DECISION_MAKER',
        email: 'jane.doe@acme-corp.com',
        phone: '+1 (415) 555-0100',
      };
      expect(leadInputSchema.parse(lead)).toEqual(lead);
    });

    it('null for every optional field', () => {
      const lead = { ...specExample, source: null, persona: null, email: null, phone: null };
      expect(leadInputSchema.parse(lead)).toEqual(lead);
    });

    it('omitted optional fields, leaving them omitted', () => {
      const parsed = leadInputSchema.parse({ leadId: 'x', industry: 'FINANCE', companySize: 'SMB' });
      expect(parsed).toEqual({ leadId: 'x', industry: 'FINANCE', companySize: 'SMB' });
      expect(Object.keys(parsed).sort()).toEqual(['companySize', 'industry', 'leadId']);
    });

    it.each(['a', 'L1', 'crm:lead.1', 'jane@acme.com', 'lead_2025-03-03', 'a'.repeat(128)])('lead id %s', (leadId) => {
      expect(issuePaths({ ...specExample, leadId })).toEqual([]);
    });

    it.each(['1234567', '+1 415 555 0100', '+44 20 7946 0958', '415.555.0100', '123456789012345', '(415) 555-0100', '1-2-3-4-5-6-7-8-9-0-1-2-3-4-5'])(
      'phone %s (7 to 15 digits)',
      (phone) => {
        expect(issuePaths({ ...specExample, phone })).toEqual([]);
      },
    );

    it('trims the source', () => {
      expect(leadInputSchema.parse({ ...specExample, source: '  referral ' }).source).toBe('referral');
    });
  });

  describe('rejects', () => {
    it.each([
      ['empty', ''],
      ['with spaces', 'lead 001'],
      ['200 characters long', 'a'.repeat(200)],
      ['129 characters long', 'a'.repeat(129)],
      ['starting with a separator', '-lead'],
      ['with a slash', 'lead/001'],
    ])('a lead id %s', (_, leadId) => {
      expect(issuePaths({ ...specExample, leadId })).toEqual(['leadId']);
      expect(issueMessages({ ...specExample, leadId })[0]).toMatch(/^must be 1-128 characters/);
    });

    it('a missing or non-string lead id', () => {
      expect(issuePaths({ industry: 'TECHNOLOGY', companySize: 'ENTERPRISE' })).toEqual(['leadId']);
      expect(issuePaths({ ...specExample, leadId: 42 })).toEqual(['leadId']);
    });

    it.each(['not-an-email', 'jane@', '@acme.com', 'jane doe@acme.com', 'jane@acme'])('the email %s', (email) => {
      expect(issuePaths({ ...specExample, email })).toEqual(['email']);
    });

    it.each([
      ['6 digits', '123456'],
      ['6 digits with separators', '12-34-56'],
      ['16 digits', '1234567890123456'],
      ['letters', '+1 415 CALL NOW'],
      ['nothing', ''],
    ])('a phone with %s', (_, phone) => {
      expect(issuePaths({ ...specExample, phone })).toEqual(['phone']);
    });

    it('a phone with too few or too many digits, saying how many are allowed', () => {
      for (const phone of ['123456', '1234567890123456']) {
        const messages = issueMessages({ ...specExample, phone });
        expect(messages.length).toBeGreaterThan(0);
        expect(messages.some((message) => message.includes('7 to 15 digits'))).toBe(true);
      }
    });

    it('unknown enum values, including human labels instead of enum names', () => {
      expect(issuePaths({ ...specExample, industry: 'RETAIL' })).toEqual(['industry']);
      expect(issuePaths({ ...specExample, industry: 'Technology' })).toEqual(['industry']);
      expect(issuePaths({ ...specExample, companySize: 'Mid-Market' })).toEqual(['companySize']);
      expect(issuePaths({ ...specExample, persona: 'CEO' })).toEqual(['persona']);
    });

    it('a blank or overlong source', () => {
      expect(issueMessages({ ...specExample, source: '   ' })).toEqual(['must not be empty']);
      expect(issueMessages({ ...specExample, source: 's'.repeat(65) })).toEqual(['must be at most 64 characters']);
      expect(issuePaths({ ...specExample, source: 's'.repeat(64) })).toEqual([]);
    });

    it('reports every bad field at once', () => {
      expect(issuePaths({ leadId: '', industry: 'X', companySize: 'Y', email: 'nope', phone: '1' }).sort()).toEqual([
        'companySize',
        'email',
        'industry',
        'leadId',
        'phone',
      ]);
    });
  });
});
