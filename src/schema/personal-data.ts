// reencryptPersonalData: the re-encryption job (src/privacy/re-encryption.ts) on
// demand, for an admin who rotated DATA_ENCRYPTION_KEY and wants the old data key
// gone now rather than at the scheduled run.
import type { ReencryptionReport } from '../privacy/re-encryption.js';
import { builder } from './builder.js';

const ReencryptionReportRef = builder.objectRef<ReencryptionReport>('ReencryptionReport').implement({
  description: "What a run of the re-encryption job did to people's data stored sealed.",
  fields: (t) => ({
    resealed: t.exposeInt('resealed', { description: 'Values sealed anew with the current data key: stored plain before, or under an older key.' }),
    indexed: t.exposeInt('indexed', { description: 'Email blind-index values written (missing, or stale beside the email).' }),
    deletedKeys: t.exposeStringList('deletedKeys', { description: 'Data keys deleted: no stored value names them any more.' }),
    keyId: t.exposeString('keyId', { description: 'The data key every value now names (the first key of DATA_ENCRYPTION_KEY).' }),
  }),
});

builder.mutationField('reencryptPersonalData', (t) =>
  t.field({
    type: ReencryptionReportRef,
    description:
      "Re-encrypt people's data now: every sealed value moves to the current data key, values stored before encryption are sealed, " +
      'and data keys no value uses are deleted. Runs on its own after start and daily; run it after rotating DATA_ENCRYPTION_KEY once every replica has restarted.',
    authScopes: { admin: true },
    resolve: (_root, _args, { services }) => services.reencryption.run(),
  }),
);
