import { parseFlags, timestampFlag } from '../args.ts';
import { FORMATS, type Format } from '../format/document.ts';
import { render } from '../format/render.ts';
import type { Command } from '../io.ts';
import { UsageError } from '../io.ts';
import { replayFlags, replayFromFlags } from '../replay.ts';
import { REPORT_NAMES, reports } from '../reports/index.ts';

const command: Command = {
  summary: 'print a report (attribution, commission, sla, funnel, partners, ...)',
  usage: `Usage: referral-ledger report <name> [--events file.ndjson | --store target] [--rules f.json]
         [--as-of T] [--known-at K] [--from F --to T2] [--partner ID] [--time-zone TZ]
         [--format table|json|csv|md|html]

Reports: ${REPORT_NAMES.join(', ')}.
--as-of T keeps events that occurred at or before T and evaluates every clock at T (default: now);
--known-at K keeps events the ledger had recorded by K; --rules applies one rule set to everything;
--partner ID shows that partner's own rows and figures only.`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(
      argv,
      {
        ...replayFlags,
        from: { type: 'string' },
        to: { type: 'string' },
        partner: { type: 'string' },
        'time-zone': { type: 'string' },
        format: { type: 'string', default: 'table' },
      },
      1,
    );
    const name = positionals[0];
    if (!name) throw new UsageError(`missing the report name: one of ${REPORT_NAMES.join(', ')}`);
    const load = reports[name];
    if (!load) {
      throw new UsageError(
        (REPORT_NAMES as readonly string[]).includes(name)
          ? `report "${name}" is not available in this build`
          : `unknown report "${name}": one of ${REPORT_NAMES.join(', ')}`,
      );
    }
    const format = values.format as Format;
    if (!FORMATS.includes(format))
      throw new UsageError(`--format ${values.format}: one of ${FORMATS.join(', ')}`);
    const from = timestampFlag('from', values.from);
    const to = timestampFlag('to', values.to);
    if (values['time-zone'] !== undefined) {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: values['time-zone'] });
      } catch {
        throw new UsageError(
          `--time-zone ${values['time-zone']}: not an IANA time zone such as Europe/Berlin`,
        );
      }
    }
    const definition = (await load()).default;
    const { model, asOf, knownAt } = await replayFromFlags(values, io);
    const doc = definition.build({
      model,
      asOf,
      knownAt,
      from,
      to,
      partner: values.partner,
      timeZone: values['time-zone'],
    });
    io.stdout.write(render(doc, format));
    return 0;
  },
};
export default command;
