// Tombstones of erased people ("ErasedPerson"): the keyed blind index of the
// email (an HMAC, never the address) and when. Erasure lays one; the lead
// intake reads them before storing a lead, refusing an erased person's email
// unless the request carries new consent, which lifts the tombstone in the
// same transaction that stores the lead.
import type { Prisma } from '../../db/generated/prisma/client.js';
import type { LeadInput } from '../../domain/lead.js';
import { ConflictError } from '../../errors.js';
import type { PersonalDataCipher } from '../personal-data-cipher.js';

type Db = Prisma.TransactionClient;

/** Records that the person with this (clear) email was erased; a second erasure keeps the first date. */
export async function layTombstone(db: Db, cipher: Pick<PersonalDataCipher, 'blindIndex'>, email: string, erasedAt: Date): Promise<void> {
  const emailIndex = cipher.blindIndex(email);
  await db.erasedPerson.upsert({ where: { emailIndex }, create: { emailIndex, erasedAt }, update: {} });
}

/**
 * Before `inputs` are stored, in the storing transaction: a lead whose email
 * belongs to an erased person is refused (ConflictError naming `consent`)
 * unless it says `consent: true`; with consent its tombstone goes.
 */
export async function admitErasedPeople(db: Db, cipher: Pick<PersonalDataCipher, 'blindIndex'>, inputs: readonly LeadInput[]): Promise<void> {
  const withEmail = inputs.flatMap((input) => (input.email ? [{ input, emailIndex: cipher.blindIndex(input.email) }] : []));
  if (withEmail.length === 0) return;
  const erased = new Set(
    (await db.erasedPerson.findMany({ where: { emailIndex: { in: withEmail.map(({ emailIndex }) => emailIndex) } }, select: { emailIndex: true } })).map(
      ({ emailIndex }) => emailIndex,
    ),
  );
  if (erased.size === 0) return;
  const refused = withEmail.find(({ input, emailIndex }) => erased.has(emailIndex) && input.consent !== true);
  if (refused) {
    throw new ConflictError(
      'Lead',
      refused.input.leadId,
      `Lead ${refused.input.leadId}: its email belongs to a person erased at their request; ingesting it again needs their new consent: send consent: true with the lead`,
    );
  }
  const lifted = withEmail.filter(({ emailIndex }) => erased.has(emailIndex)).map(({ emailIndex }) => emailIndex);
  await db.erasedPerson.deleteMany({ where: { emailIndex: { in: lifted } } });
}
