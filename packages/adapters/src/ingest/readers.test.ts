import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalToMinor, domainOf, toTimestamp } from './command.ts';
import { parseCsv, toCsv } from './csv.ts';
import { parseXml, XmlSyntaxError } from './xml.ts';

describe('XML reader', () => {
  it('reads elements, attributes, entities, CDATA and prefixes', () => {
    const root = parseXml(
      '<?xml version="1.0"?><!-- c --><a:root xmlns:a="urn:x" k="1 &lt; 2"><b>x &amp; y &#65;&#x42;</b><c><![CDATA[<raw>]]></c><d/></a:root>',
    );
    expect(root.name).toBe('a:root');
    expect(root.local).toBe('root');
    expect(root.attributes).toEqual({ 'xmlns:a': 'urn:x', k: '1 < 2' });
    expect(root.children.map((c) => [c.local, c.text])).toEqual([
      ['b', 'x & y AB'],
      ['c', '<raw>'],
      ['d', ''],
    ]);
  });

  it('refuses DOCTYPE (no entity expansion), mismatched and unclosed tags', () => {
    expect(() => parseXml('<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')).toThrow(XmlSyntaxError);
    expect(() => parseXml('<a><b></a>')).toThrow(/unexpected <\/a>/);
    expect(() => parseXml('<a>')).toThrow(/not closed/);
    expect(() => parseXml('<a>&bogus;</a>')).toThrow(/unknown entity/);
  });
});

describe('CSV', () => {
  it('reads quoted fields with commas, quotes and line breaks', () => {
    expect(parseCsv('a,"b,c","d ""e""",\r\n"x\ny",z\n')).toEqual([
      ['a', 'b,c', 'd "e"', ''],
      ['x\ny', 'z'],
    ]);
  });

  it('round-trips any table of safe text', () => {
    const cell = fc.string().filter((s) => !/^[=+\-@\t\r]/.test(s));
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
        (rows) => {
          expect(parseCsv(toCsv(rows))).toEqual(rows);
        },
      ),
    );
  });
});

describe('vendor values', () => {
  it('turns decimal strings into minor units exactly, rounding half up', () => {
    expect(decimalToMinor('48000.50', 'USD')).toBe(4800050);
    expect(decimalToMinor('0.005', 'USD')).toBe(1);
    expect(decimalToMinor('0.004', 'USD')).toBe(0);
    expect(decimalToMinor('1,200', 'JPY')).toBe(1200);
    expect(decimalToMinor('1.2345', 'KWD')).toBe(1235);
    expect(decimalToMinor('12k', 'USD')).toBeUndefined();
  });

  it('agrees with integer arithmetic for every cents amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), (cents) => {
        const text = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
        expect(decimalToMinor(text, 'USD')).toBe(cents);
      }),
    );
  });

  it('reads epoch ms, ISO with offset, plain dates (midnight UTC); refuses free text', () => {
    expect(toTimestamp(1767225600000)).toBe('2026-01-01T00:00:00.000Z');
    expect(toTimestamp('1767225600000')).toBe('2026-01-01T00:00:00.000Z');
    expect(toTimestamp('2026-03-31')).toBe('2026-03-31T00:00:00Z');
    expect(toTimestamp('2026-03-31T10:00:00+02:00')).toBe('2026-03-31T08:00:00.000Z');
    expect(toTimestamp('next tuesday')).toBeUndefined();
  });

  it('normalises websites and emails to domains', () => {
    expect(domainOf('https://WWW.Acme.example/path?q')).toBe('acme.example');
    expect(domainOf('jane@Acme.Example')).toBe('acme.example');
    expect(domainOf('acme.example:8080')).toBe('acme.example');
    expect(domainOf('  ')).toBeUndefined();
  });
});
