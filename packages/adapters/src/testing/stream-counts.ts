import type { RecordedEvent } from '@referral-ledger/core';
import type { Projection } from '../runner/types.ts';

/** Events and a checksum of positions per stream: a durable projection for crash tests. */
export type StreamCounts = Record<string, { events: number; positionSum: number }>;

/** A durable projection whose state shows any event applied twice or skipped. */
export function streamCounts(version = 'v1'): Projection<StreamCounts> {
  return {
    name: 'stream-counts',
    version,
    initialState: () => ({}),
    apply(state, e: RecordedEvent) {
      const prev = state[e.streamId] ?? { events: 0, positionSum: 0 };
      return {
        ...state,
        [e.streamId]: { events: prev.events + 1, positionSum: prev.positionSum + e.position },
      };
    },
    serialize: (s) => JSON.stringify(s),
    deserialize: (t) => JSON.parse(t) as StreamCounts,
  };
}

/** The same view computed by a clean replay. */
export function foldStreamCounts(events: readonly RecordedEvent[]): StreamCounts {
  const p = streamCounts();
  return events.reduce((s, e) => p.apply(s, e), p.initialState());
}
