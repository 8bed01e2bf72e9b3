import { readFileSync } from 'node:fs';
import { ValidationError } from '@referral-ledger/core';
import { describe, expect, it } from 'vitest';
import { ingestEventId } from './command.ts';
import { mapSalesforce, salesforceOutboundAck } from './salesforce.ts';
import { child, parseXml } from './xml.ts';

const raw = (name: string): string =>
  readFileSync(new URL(`./fixtures/salesforce/${name}`, import.meta.url), 'utf8');

function refusal(f: () => unknown): ValidationError {
  try {
    f();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('Salesforce Outbound Messages (SOAP)', () => {
  it('maps a closed-won Opportunity notification to an opening and a win at CloseDate', () => {
    const cmds = mapSalesforce(raw('outbound-opportunity.xml'));
    expect(cmds).toEqual([
      {
        type: 'OpenOpportunity',
        data: {
          opportunityId: '006000000000001AAA',
          accountDomain: 'umbrella.example',
          accountName: 'Umbrella & Co \u2013 renewal',
          value: { amount: 7500000, currency: 'USD' },
          ownerId: '005000000000001AAA',
          attributes: { crm: 'salesforce' },
        },
        metadata: {
          eventId: ingestEventId('salesforce', 'opportunity', '006000000000001AAA', 'opened'),
          occurredAt: '2026-02-02T09:30:00.000Z',
        },
      },
      {
        type: 'WinOpportunity',
        data: { opportunityId: '006000000000001AAA', value: { amount: 7500000, currency: 'USD' } },
        metadata: {
          eventId: ingestEventId(
            'salesforce',
            'opportunity',
            '006000000000001AAA',
            'won',
            '2026-03-31T00:00:00Z',
          ),
          occurredAt: '2026-03-31T00:00:00Z',
        },
      },
    ]);
  });

  it('maps nothing for a snapshot no newer than what the ledger knows (re-ingest)', () => {
    const cmds = mapSalesforce(raw('outbound-opportunity.xml'), {
      context: {
        opportunity: () => ({
          status: 'won',
          value: { amount: 7500000, currency: 'USD' } as never,
          lastEventAt: '2026-03-31T16:45:00.000Z',
        }),
      },
    });
    expect(cmds).toEqual([]);
  });

  it('maps a Lead notification to a referral with the partner field, notes and estimate', () => {
    const [cmd, ...rest] = mapSalesforce(raw('outbound-lead.xml'));
    expect(rest).toEqual([]);
    expect(cmd!.type).toBe('SubmitReferral');
    expect(cmd!.data).toEqual({
      referralId: '00Q000000000001AAA',
      partnerId: 'P-2',
      channel: 'crm',
      lead: {
        firstName: 'Gavin',
        lastName: 'Belson',
        email: 'gavin@hooli.example',
        company: 'Hooli',
        title: 'CEO',
        notes: 'Met at the Berlin meetup',
        estimatedValue: { amount: 2500000, currency: 'USD' },
      },
    });
    expect(cmd!.metadata.occurredAt).toBe('2026-01-20T14:00:00.000Z');
  });

  it('refuses a message without notifications, malformed XML and an unmapped sObject type', () => {
    expect(refusal(() => mapSalesforce('<a><b></a>')).message).toContain('not well-formed');
    expect(refusal(() => mapSalesforce('<Envelope><Body/></Envelope>')).path).toBe(
      'Envelope.Body.notifications',
    );
    const account = raw('outbound-lead.xml').replace('sf:Lead', 'sf:Account');
    expect(refusal(() => mapSalesforce(account)).path).toBe('Notification[0].sObject');
  });

  it('refuses an Opportunity without the account domain field, naming it', () => {
    const xml = raw('outbound-opportunity.xml').replace(
      /<sf:Account_Domain__c>.*<\/sf:Account_Domain__c>/,
      '',
    );
    expect(refusal(() => mapSalesforce(xml)).path).toBe('Notification[0].sObject.Account_Domain__c');
    const viaAccounts = mapSalesforce(xml, {
      accounts: { '001000000000001AAA': { domain: 'https://umbrella.example/' } },
    });
    expect(viaAccounts[0]!.data).toMatchObject({ accountDomain: 'umbrella.example' });
  });

  it('refuses a message from another org when the org id is pinned (15 or 18 characters)', () => {
    expect(
      mapSalesforce(raw('outbound-opportunity.xml'), { organizationId: '00D000000000062' }),
    ).toHaveLength(2);
    expect(
      refusal(() => mapSalesforce(raw('outbound-opportunity.xml'), { organizationId: '00D000000000099' }))
        .path,
    ).toBe('notifications.OrganizationId');
  });

  it('acknowledges with the notificationsResponse envelope', () => {
    const env = parseXml(salesforceOutboundAck());
    const res = child(child(env, 'Body')!, 'notificationsResponse')!;
    expect(res.attributes.xmlns).toBe('http://soap.sforce.com/2005/09/outbound');
    expect(child(res, 'Ack')!.text).toBe('true');
    expect(salesforceOutboundAck(false)).toContain('<Ack>false</Ack>');
  });

  it('refuses a lead whose email is not an email, naming the field', () => {
    const xml = raw('outbound-lead.xml').replace('gavin@hooli.example', 'gavin at hooli');
    expect(refusal(() => mapSalesforce(xml)).path).toBe('Notification[0].sObject.lead.email');
  });
});

describe('Salesforce Change Data Capture', () => {
  it('maps an OpportunityChangeEvent CREATE to an opening at CreatedDate', () => {
    const cmds = mapSalesforce(JSON.parse(raw('cdc-opportunity-create.json')));
    expect(cmds).toHaveLength(1);
    expect(cmds[0]!.type).toBe('OpenOpportunity');
    expect(cmds[0]!.data).toMatchObject({
      opportunityId: '006000000000002AAA',
      accountDomain: 'vandelay.example',
      accountName: 'Vandelay Industries - import tooling',
      value: { amount: 3000000, currency: 'USD' },
    });
    expect(cmds[0]!.metadata.occurredAt).toBe('2026-01-16T10:00:00.000Z');
  });

  it('maps UPDATEs to a value change then a win with the new amount, ids from the transaction', () => {
    const cmds = mapSalesforce(raw('cdc-opportunity-won.json'), {
      context: {
        opportunity: () => ({
          status: 'open',
          value: { amount: 3000000, currency: 'USD' } as never,
          lastEventAt: '2026-01-16T10:00:00.000Z',
        }),
      },
    });
    expect(cmds.map((c) => [c.type, c.metadata.occurredAt, c.data])).toEqual([
      [
        'ChangeOpportunityValue',
        '2026-02-27T14:00:00.000Z',
        { opportunityId: '006000000000002AAA', value: { amount: 3250000, currency: 'USD' } },
      ],
      [
        'WinOpportunity',
        '2026-03-02T00:00:00Z',
        { opportunityId: '006000000000002AAA', value: { amount: 3250000, currency: 'USD' } },
      ],
    ]);
    expect(cmds[1]!.metadata.eventId).toBe(
      ingestEventId(
        'salesforce',
        'cdc',
        '0007f2aa-1c9e-43d0-8a6b-77d1c0e5a901',
        1,
        '006000000000002AAA',
        'won',
      ),
    );
    expect(mapSalesforce(raw('cdc-opportunity-won.json')).map((c) => c.metadata.eventId)).toEqual(
      cmds.map((c) => c.metadata.eventId),
    );
  });

  it('maps a LeadChangeEvent CREATE (compound Name) and its conversion', () => {
    const cmds = mapSalesforce(JSON.parse(raw('cdc-lead-create-and-convert.json')));
    expect(cmds.map((c) => c.type)).toEqual(['SubmitReferral', 'ConvertReferral']);
    expect(cmds[0]!.data).toMatchObject({
      referralId: '00Q000000000002AAA',
      partnerId: 'P-3',
      lead: {
        firstName: 'Elaine',
        lastName: 'Benes',
        company: 'Pendant Publishing',
        website: 'www.pendant.example',
      },
    });
    expect(cmds[1]!.data).toEqual({ referralId: '00Q000000000002AAA', opportunityId: '006000000000003AAA' });
    expect(cmds[1]!.metadata.occurredAt).toBe('2026-01-27T00:00:00Z');
  });

  it('refuses a DELETE, an unmapped entity and a missing header field, naming them', () => {
    const create = JSON.parse(raw('cdc-opportunity-create.json'));
    create.data.payload.ChangeEventHeader.changeType = 'DELETE';
    expect(refusal(() => mapSalesforce(create)).path).toBe('data.payload.ChangeEventHeader.changeType');
    create.data.payload.ChangeEventHeader.entityName = 'Account';
    create.data.payload.ChangeEventHeader.changeType = 'CREATE';
    expect(refusal(() => mapSalesforce(create)).path).toBe('data.payload.ChangeEventHeader.entityName');
    delete create.data.payload.ChangeEventHeader.commitTimestamp;
    expect(refusal(() => mapSalesforce(create)).path).toBe('data.payload.ChangeEventHeader.commitTimestamp');
  });
});
