// A small strict XML well-formedness checker for the JUnit report (no dependency): one root, matching tags,
// quoted unique attributes, only the five named entities and character references, no raw < or & in text.
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][\w.-]*/;
const ENTITY = /^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '<') throw new Error(`raw < in ${where}`);
    if (c !== '&') {
      out += c;
      continue;
    }
    const m = ENTITY.exec(raw.slice(i));
    if (!m) throw new Error(`bad entity in ${where}: ${raw.slice(i, i + 10)}`);
    const body = m[1];
    if (body.startsWith('#')) {
      const cp = body.startsWith('#x') ? parseInt(body.slice(2), 16) : Number(body.slice(1));
      const allowed =
        cp === 0x9 ||
        cp === 0xa ||
        cp === 0xd ||
        (cp >= 0x20 && cp <= 0xd7ff) ||
        (cp >= 0xe000 && cp <= 0xfffd) ||
        (cp >= 0x10000 && cp <= 0x10ffff);
      if (!allowed) throw new Error(`character reference to a forbidden character in ${where}: ${m[0]}`);
    }
    out += body.startsWith('#x')
      ? String.fromCodePoint(parseInt(body.slice(2), 16))
      : body.startsWith('#')
        ? String.fromCodePoint(Number(body.slice(1)))
        : NAMED[body];
    i += m[0].length - 1;
  }
  return out;
}

export function parseXml(xml: string): XmlElement {
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(xml)) throw new Error('forbidden control character');
  let pos = 0;
  const rest = () => xml.slice(pos);
  const skipSpace = () => {
    while (pos < xml.length && /\s/.test(xml[pos])) pos++;
  };
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) throw new Error('unterminated XML declaration');
    pos = end + 2;
  }
  skipSpace();

  const parseElement = (): XmlElement => {
    if (xml[pos] !== '<') throw new Error(`expected < at ${pos}`);
    pos++;
    const nameMatch = NAME.exec(rest());
    if (!nameMatch) throw new Error(`bad element name at ${pos}`);
    const element: XmlElement = { name: nameMatch[0], attributes: {}, children: [], text: '' };
    pos += nameMatch[0].length;
    for (;;) {
      const before = pos;
      skipSpace();
      if (rest().startsWith('/>')) {
        pos += 2;
        return element;
      }
      if (xml[pos] === '>') {
        pos++;
        break;
      }
      if (pos === before) throw new Error(`expected whitespace before attribute at ${pos}`);
      const attr = NAME.exec(rest());
      if (!attr) throw new Error(`bad attribute at ${pos}: ${rest().slice(0, 20)}`);
      pos += attr[0].length;
      if (xml[pos] !== '=' || (xml[pos + 1] !== '"' && xml[pos + 1] !== "'"))
        throw new Error(`attribute ${attr[0]} not quoted`);
      const quote = xml[pos + 1];
      const end = xml.indexOf(quote, pos + 2);
      if (end < 0) throw new Error(`unterminated attribute ${attr[0]}`);
      if (attr[0] in element.attributes) throw new Error(`duplicate attribute ${attr[0]}`);
      element.attributes[attr[0]] = decode(xml.slice(pos + 2, end), `attribute ${attr[0]}`);
      pos = end + 1;
    }
    for (;;) {
      const lt = xml.indexOf('<', pos);
      if (lt < 0) throw new Error(`unclosed element ${element.name}`);
      element.text += decode(xml.slice(pos, lt), `text of ${element.name}`);
      pos = lt;
      if (rest().startsWith('</')) {
        pos += 2;
        const close = NAME.exec(rest());
        if (!close || close[0] !== element.name) throw new Error(`</${close?.[0]}> closes <${element.name}>`);
        pos += close[0].length;
        skipSpace();
        if (xml[pos] !== '>') throw new Error(`bad closing tag of ${element.name}`);
        pos++;
        return element;
      }
      element.children.push(parseElement());
    }
  };

  const root = parseElement();
  skipSpace();
  if (pos !== xml.length) throw new Error(`content after the root element: ${rest().slice(0, 20)}`);
  return root;
}
