// The logger's own guard (src/logger.ts): whatever a log call is handed, a person's
// address or number it quotes is masked on the way out: in fields at any depth, an
// error's message and stack, the message, and a percent-encoded URL.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger('trace', 'unit', destination), text: () => lines.join('') };
}

describe('the logger', () => {
  it("masks a person's address and number wherever a line carries them", () => {
    const { logger, text } = capture();
    logger.warn(
      { err: new Error('no lead jane.doe@acme.example'), lead: { note: ['call +44 20 7946 0958'] }, url: '/api/v1/leads/jane.doe%40acme.example?x=1' },
      'refused jane.doe@acme.example',
    );
    const line = text();
    expect(line).not.toContain('jane.doe');
    expect(line).not.toContain('7946');
    expect(line).toContain('j***@acme.example');
    expect(JSON.parse(line)).toMatchObject({ level: 40, err: { type: 'Error', message: 'no lead j***@acme.example' }, msg: 'refused j***@acme.example' });
  });

  it('leaves lines without personal data as they are', () => {
    const { logger, text } = capture();
    logger.info({ request_id: '6ce44237-3bbe-48f8-888c-d2f492ad05c1', at: '2026-12-07T00:16:07.854Z', url: '/graphql?a=b', duration_ms: 12.5 }, 'request');
    expect(JSON.parse(text())).toMatchObject({
      request_id: '6ce44237-3bbe-48f8-888c-d2f492ad05c1',
      at: '2026-12-07T00:16:07.854Z',
      url: '/graphql?a=b',
      duration_ms: 12.5,
      msg: 'request',
    });
  });
});
