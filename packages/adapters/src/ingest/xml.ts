/**
 * A small, strict XML reader for the SOAP bodies Salesforce Outbound Messages post: elements,
 * attributes, text, CDATA, comments, the five named entities and numeric references. No DTDs
 * (refused, so no entity expansion attacks). Namespace prefixes are kept and also stripped into
 * `local` so callers can match `sf:Amount` as `Amount`.
 */
export interface XmlElement {
  /** The qualified name as written (`sf:Amount`). */
  readonly name: string;
  /** The name without its prefix (`Amount`). */
  readonly local: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** The concatenated text directly inside the element. */
  readonly text: string;
}

/** Raised with the character offset where the document stops being well-formed. */
export class XmlSyntaxError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(`${message} at offset ${offset}`);
    this.offset = offset;
  }
}

const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(s: string, at: number): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (_m, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(Number.parseInt(ref.slice(1), 10));
    const v = NAMED[ref];
    if (v === undefined) throw new XmlSyntaxError(`unknown entity &${ref};`, at);
    return v;
  });
}

const localName = (n: string): string => n.slice(n.indexOf(':') + 1);

/**
 * Parse a document into its root element.
 * @example parseXml('<a x="1"><b>hi</b></a>').children[0]?.text // 'hi'
 */
export function parseXml(src: string): XmlElement {
  let i = 0;
  const n = src.length;
  interface Open {
    name: string;
    attributes: Record<string, string>;
    children: XmlElement[];
    text: string;
  }
  const stack: Open[] = [];
  let root: XmlElement | undefined;
  const close = (el: Open): void => {
    const done: XmlElement = { ...el, local: localName(el.name) };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(done);
    else if (root) throw new XmlSyntaxError('more than one root element', i);
    else root = done;
  };
  if (src.charCodeAt(0) === 0xfeff) i = 1;
  while (i < n) {
    if (src[i] !== '<') {
      const next = src.indexOf('<', i);
      const end = next === -1 ? n : next;
      const raw = src.slice(i, end);
      const top = stack[stack.length - 1];
      if (top) top.text += decode(raw, i);
      else if (raw.trim() !== '') throw new XmlSyntaxError('text outside the root element', i);
      i = end;
      continue;
    }
    if (src.startsWith('<?', i)) {
      const end = src.indexOf('?>', i);
      if (end === -1) throw new XmlSyntaxError('unterminated processing instruction', i);
      i = end + 2;
    } else if (src.startsWith('<!--', i)) {
      const end = src.indexOf('-->', i);
      if (end === -1) throw new XmlSyntaxError('unterminated comment', i);
      i = end + 3;
    } else if (src.startsWith('<![CDATA[', i)) {
      const end = src.indexOf(']]>', i);
      if (end === -1) throw new XmlSyntaxError('unterminated CDATA section', i);
      const top = stack[stack.length - 1];
      if (!top) throw new XmlSyntaxError('CDATA outside the root element', i);
      top.text += src.slice(i + 9, end);
      i = end + 3;
    } else if (src.startsWith('<!', i)) {
      throw new XmlSyntaxError('document type declarations are not accepted', i);
    } else if (src.startsWith('</', i)) {
      const end = src.indexOf('>', i);
      if (end === -1) throw new XmlSyntaxError('unterminated end tag', i);
      const name = src.slice(i + 2, end).trim();
      const top = stack.pop();
      if (!top || top.name !== name) throw new XmlSyntaxError(`unexpected </${name}>`, i);
      close(top);
      i = end + 1;
    } else {
      const m = /^<([A-Za-z_][\w.:-]*)/.exec(src.slice(i, i + 256));
      if (!m) throw new XmlSyntaxError('malformed start tag', i);
      const name = m[1]!;
      let j = i + m[0].length;
      const attributes: Record<string, string> = {};
      for (;;) {
        while (j < n && /\s/.test(src[j]!)) j++;
        if (src.startsWith('/>', j) || src[j] === '>') break;
        const am = /^([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(src.slice(j, j + 4096));
        if (!am) throw new XmlSyntaxError(`malformed attribute in <${name}>`, j);
        attributes[am[1]!] = decode(am[3] ?? am[4] ?? '', j);
        j += am[0].length;
      }
      if (j >= n) throw new XmlSyntaxError(`unterminated <${name}>`, i);
      const el: Open = { name, attributes, children: [], text: '' };
      if (src.startsWith('/>', j)) {
        close(el);
        i = j + 2;
      } else {
        stack.push(el);
        i = j + 1;
      }
    }
  }
  if (stack.length > 0) throw new XmlSyntaxError(`<${stack[stack.length - 1]!.name}> is not closed`, n);
  if (!root) throw new XmlSyntaxError('no root element', 0);
  return root;
}

/** The first child with the given local name. */
export function child(el: XmlElement, local: string): XmlElement | undefined {
  return el.children.find((c) => c.local === local);
}

/** Every child with the given local name. */
export function childrenNamed(el: XmlElement, local: string): XmlElement[] {
  return el.children.filter((c) => c.local === local);
}
