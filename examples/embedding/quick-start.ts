// snippet-start
import {
  CommandRefusedError,
  createLedger,
  type EventStore,
  getInMemoryEventStore,
} from '@referral-ledger/core';

/** Enroll two partners, take the same lead from both, and see the ledger flag and refuse. */
export async function quickStart(store: EventStore = getInMemoryEventStore()) {
  const ledger = createLedger({ store, secret: 'replace-with-your-secret' });

  const partners = [
    { partnerId: 'P-acme', name: 'Acme Consulting' },
    { partnerId: 'P-umbrella', name: 'Umbrella Partners' },
  ];
  for (const { partnerId, name } of partners) {
    await ledger.handle({
      type: 'EnrollPartner',
      data: {
        partnerId,
        name,
        program: 'partner',
        tier: 'silver',
        contactEmail: `pm@${partnerId}.example`,
        payoutCurrency: 'USD',
      },
    });
  }

  const lead = { firstName: 'Ana', lastName: 'Lima', email: 'ana@globex.example', company: 'Globex' };
  const first = await ledger.handle({
    type: 'SubmitReferral',
    data: { referralId: 'R-1', partnerId: 'P-acme', channel: 'portal', lead },
  });
  const second = await ledger.handle({
    type: 'SubmitReferral',
    data: { referralId: 'R-2', partnerId: 'P-umbrella', channel: 'api', lead },
  });

  let refusal = '';
  try {
    // A rejection needs a partner-facing explanation approved by a partner manager.
    await ledger.handle({ type: 'RejectReferral', data: { referralId: 'R-2', reason: 'duplicate' } });
  } catch (e) {
    if (!(e instanceof CommandRefusedError)) throw e;
    refusal = e.code; // 'referral.explanation-required'
  }

  return {
    first: first.events.map((e) => e.type), // ['ReferralSubmitted']
    second: second.events.map((e) => e.type), // ['ReferralSubmitted', 'ReferralDuplicateFlagged']
    duplicateOf: second.events[1]?.data, // { referralId: 'R-2', duplicateOf: { kind: 'referral', id: 'R-1' }, matchedOn: 'email' }
    refusal,
  };
}
// snippet-end
