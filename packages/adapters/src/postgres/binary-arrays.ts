/**
 * One-dimensional PostgreSQL arrays in the binary wire format, for statement parameters.
 *
 * `pg` sends a `Buffer` parameter in binary format and everything else as text. A text array
 * literal must be escaped by the client (every `"` and `\` of every JSON document) and
 * scanned character by character by the server's `array_in`; the binary form is just each
 * element's length and bytes, so both sides skip that work. The server still runs each
 * element's own receive function (`json_recv` validates the JSON, as `json_in` does) and
 * stores the bytes unchanged.
 *
 * Layout: ndim, has-nulls flag, element type oid, then per dimension its length and lower
 * bound (1), then per element its byte length and bytes (all integers big-endian). Nulls are
 * not supported (the store never sends one).
 */

/** Element type oids (pg_type.oid) of the arrays the store sends. */
export const PgOid = { int4: 23, int8: 20, text: 25, json: 114 } as const;

function header(size: number, elementOid: number, count: number): { buf: Buffer; at: number } {
  const buf = Buffer.allocUnsafe(size);
  buf.writeInt32BE(count === 0 ? 0 : 1, 0);
  buf.writeInt32BE(0, 4);
  buf.writeInt32BE(elementOid, 8);
  if (count === 0) return { buf, at: 12 };
  buf.writeInt32BE(count, 12);
  buf.writeInt32BE(1, 16);
  return { buf, at: 20 };
}

/** A `text[]` or `json[]` parameter (the element oid says which); elements as UTF-8. */
export function stringArray(elementOid: number, values: readonly string[]): Buffer {
  let size = values.length === 0 ? 12 : 20;
  const lengths = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) {
    const n = Buffer.byteLength(values[i]!, 'utf8');
    lengths[i] = n;
    size += 4 + n;
  }
  const { buf, at } = header(size, elementOid, values.length);
  let o = at;
  for (let i = 0; i < values.length; i++) {
    buf.writeInt32BE(lengths[i]!, o);
    o += 4;
    o += buf.write(values[i]!, o, lengths[i]!, 'utf8');
  }
  return buf;
}

/** An `int4[]` parameter. */
export function int4Array(values: readonly number[]): Buffer {
  const { buf, at } = header((values.length === 0 ? 12 : 20) + 8 * values.length, PgOid.int4, values.length);
  let o = at;
  for (const v of values) {
    buf.writeInt32BE(4, o);
    buf.writeInt32BE(v, o + 4);
    o += 8;
  }
  return buf;
}

/** An `int8[]` parameter (safe integers). */
export function int8Array(values: readonly number[]): Buffer {
  const { buf, at } = header((values.length === 0 ? 12 : 20) + 12 * values.length, PgOid.int8, values.length);
  let o = at;
  for (const v of values) {
    buf.writeInt32BE(8, o);
    buf.writeBigInt64BE(BigInt(v), o + 4);
    o += 12;
  }
  return buf;
}
