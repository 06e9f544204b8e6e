// The HCL2 functions a Nomad job file may call, as /v1/jobs/parse evaluates them (go-cty's stdlib and
// go-cty-funcs, the set jobspec2 registers), for the decoder. A function returns undefined when it
// cannot give Nomad's answer (bad arguments, an unsupported case): the decoder then leaves the value
// unknown rather than guess. Nomad 1.6.5 has no tostring/tonumber/… (only `convert`): neither do we. Not here on purpose: uuidv4, timestamp, bcrypt (random or time-bound),
// the file functions (disabled by /v1/jobs/parse), cidr*, rsadecrypt, yaml*, md5/sha256/sha512.
// Pure: no `vscode` or Node import.

export type Value = string | number | boolean | null | Value[] | { [key: string]: Value };
type Obj = { [key: string]: Value };
export type Fn = (a: Value[]) => Value | undefined;

export function str(v: Value | undefined): string {
  return v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

const isObj = (v: Value | undefined): v is Obj =>
  v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
const num = (v: Value | undefined): number | undefined => {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return undefined;
};
const list = (v: Value | undefined): Value[] | undefined => (Array.isArray(v) ? v : undefined);

/** JSON as Go's encoding/json writes it for a cty value: object keys sorted, <, > and & escaped. */
export function goJson(v: Value): string {
  if (v === null) return 'null';
  if (typeof v === 'string')
    return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (typeof v === 'number') return goNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  return `{${Object.keys(v)
    .sort()
    .map(k => `${goJson(k)}:${goJson(v[k]!)}`)
    .join(',')}}`;
}

/** A number as cty writes it: no exponent, no trailing zeros. */
function goNumber(n: number): string {
  if (!Number.isFinite(n)) return 'null';
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toFixed(20).replace(/\.?0+$/, '');
}

/** Go fmt verbs used in job files: %s %d %v %q %f %t %%, with widths and precisions. */
export function formatGo(fmt: string, args: Value[]): string | undefined {
  let i = 0;
  let bad = false;
  const out = fmt.replace(
    /%([-+# 0]*)(\d*)(?:\.(\d+))?([sdvqftx%])/g,
    (_m, flags: string, width: string, prec: string | undefined, verb: string) => {
      if (verb === '%') return '%';
      if (i >= args.length) {
        bad = true;
        return '';
      }
      const v = args[i++]!;
      let s: string;
      switch (verb) {
        case 'd': {
          const n = num(v);
          if (n === undefined) {
            bad = true;
            return '';
          }
          s = String(Math.trunc(n));
          break;
        }
        case 'f': {
          const n = num(v);
          if (n === undefined) {
            bad = true;
            return '';
          }
          s = n.toFixed(prec === undefined ? 6 : Number(prec));
          break;
        }
        case 'x': {
          const n = num(v);
          s =
            n !== undefined && Number.isInteger(n)
              ? n.toString(16)
              : [...new TextEncoder().encode(str(v))].map(b => b.toString(16).padStart(2, '0')).join('');
          break;
        }
        case 'q':
          s = JSON.stringify(str(v));
          break;
        case 't':
          s = String(v === true || v === 'true');
          break;
        case 'v':
          s = typeof v === 'object' && v !== null ? goJson(v) : str(v);
          break;
        default:
          s = str(v);
      }
      const w = Number(width || 0);
      if (s.length < w)
        s = flags.includes('-')
          ? s.padEnd(w)
          : flags.includes('0') && verb !== 's'
            ? s.padStart(w, '0')
            : s.padStart(w);
      return s;
    },
  );
  return bad ? undefined : out;
}

// ---- SHA-1 (uuidv5 and sha1) --------------------------------------------------------------------------

function sha1(bytes: Uint8Array): Uint8Array {
  const ml = bytes.length * 8;
  const withPad = new Uint8Array(((bytes.length + 9 + 63) >> 6) << 6);
  withPad.set(bytes);
  withPad[bytes.length] = 0x80;
  const dv = new DataView(withPad.buffer);
  dv.setUint32(withPad.length - 4, ml >>> 0);
  dv.setUint32(withPad.length - 8, Math.floor(ml / 2 ** 32));
  let h0 = 0x67452301,
    h1 = 0xefcdab89,
    h2 = 0x98badcfe,
    h3 = 0x10325476,
    h4 = 0xc3d2e1f0;
  const w = new Uint32Array(80);
  for (let off = 0; off < withPad.length; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = dv.getUint32(off + i * 4);
    for (let i = 16; i < 80; i++) {
      const x = w[i - 3]! ^ w[i - 8]! ^ w[i - 14]! ^ w[i - 16]!;
      w[i] = (x << 1) | (x >>> 31);
    }
    let a = h0,
      b = h1,
      c = h2,
      d = h3,
      e = h4;
    for (let i = 0; i < 80; i++) {
      const f = i < 20 ? (b & c) | (~b & d) : i < 40 ? b ^ c ^ d : i < 60 ? (b & c) | (b & d) | (c & d) : b ^ c ^ d;
      const k = i < 20 ? 0x5a827999 : i < 40 ? 0x6ed9eba1 : i < 60 ? 0x8f1bbcdc : 0xca62c1d6;
      const t = (((a << 5) | (a >>> 27)) + f + e + k + w[i]!) >>> 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    h0 = (h0 + a) >>> 0;
    h1 = (h1 + b) >>> 0;
    h2 = (h2 + c) >>> 0;
    h3 = (h3 + d) >>> 0;
    h4 = (h4 + e) >>> 0;
  }
  const out = new Uint8Array(20);
  const ov = new DataView(out.buffer);
  [h0, h1, h2, h3, h4].forEach((h, i) => ov.setUint32(i * 4, h));
  return out;
}

const hex = (b: Uint8Array): string => [...b].map(x => x.toString(16).padStart(2, '0')).join('');

const UUID_NAMESPACES: Record<string, string> = {
  dns: '6ba7b810-9dad-11d1-80b4-00c04fd430c8',
  url: '6ba7b811-9dad-11d1-80b4-00c04fd430c8',
  oid: '6ba7b812-9dad-11d1-80b4-00c04fd430c8',
  x500: '6ba7b814-9dad-11d1-80b4-00c04fd430c8',
};

function uuidv5(ns: string, name: string): string | undefined {
  const id = UUID_NAMESPACES[ns] ?? ns;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return undefined;
  const nsBytes = Uint8Array.from(
    id
      .replace(/-/g, '')
      .match(/../g)!
      .map(h => parseInt(h, 16)),
  );
  const nameBytes = new TextEncoder().encode(name);
  const all = new Uint8Array(16 + nameBytes.length);
  all.set(nsBytes);
  all.set(nameBytes, 16);
  const h = sha1(all).slice(0, 16);
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = hex(h);
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

// ---- base64 without Buffer --------------------------------------------------------------------------------

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64encode(s: string): string {
  const b = new TextEncoder().encode(s);
  let out = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i]! << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    out +=
      B64[(n >> 18) & 63]! +
      B64[(n >> 12) & 63]! +
      (i + 1 < b.length ? B64[(n >> 6) & 63]! : '=') +
      (i + 2 < b.length ? B64[n & 63]! : '=');
  }
  return out;
}

function base64decode(s: string): string | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i += 4) {
    const n =
      (B64.indexOf(s[i]!) << 18) |
      (B64.indexOf(s[i + 1]!) << 12) |
      ((s[i + 2] === '=' ? 0 : B64.indexOf(s[i + 2]!)) << 6) |
      (s[i + 3] === '=' ? 0 : B64.indexOf(s[i + 3]!));
    bytes.push((n >> 16) & 255);
    if (s[i + 2] !== '=') bytes.push((n >> 8) & 255);
    if (s[i + 3] !== '=') bytes.push(n & 255);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
}

// ---- the table ----------------------------------------------------------------------------------------------

function flatten(v: Value[]): Value[] {
  const out: Value[] = [];
  for (const x of v) {
    if (Array.isArray(x)) out.push(...flatten(x));
    else out.push(x);
  }
  return out;
}

function distinct(v: Value[]): Value[] {
  const seen = new Set<string>();
  const out: Value[] = [];
  for (const x of v) {
    const k = goJson(x);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(x);
    }
  }
  return out;
}

export const FUNCTIONS: ReadonlyMap<string, Fn> = new Map<string, Fn>([
  [
    'abs',
    a => {
      const n = num(a[0]);
      return n === undefined ? undefined : Math.abs(n);
    },
  ],
  ['base64encode', a => base64encode(str(a[0]))],
  ['base64decode', a => base64decode(str(a[0]))],
  [
    'ceil',
    a => {
      const n = num(a[0]);
      return n === undefined ? undefined : Math.ceil(n);
    },
  ],
  ['chomp', a => str(a[0]).replace(/(\r\n|\n|\r)+$/, '')],
  [
    'chunklist',
    a => {
      const l = list(a[0]);
      const n = num(a[1]);
      if (!l || n === undefined || n < 0) return undefined;
      if (n === 0) return [l];
      const out: Value[] = [];
      for (let i = 0; i < l.length; i += n) out.push(l.slice(i, i + n));
      return out;
    },
  ],
  // go-cty's coalesce: the first argument that is not null ("" counts)
  ['coalesce', a => a.find(x => x !== null) ?? undefined],
  ['coalescelist', a => a.find(x => Array.isArray(x) && x.length > 0) ?? undefined],
  [
    'compact',
    a =>
      list(a[0])
        ?.filter(x => x !== null && x !== '')
        .map(str),
  ],
  ['concat', a => (a.every(Array.isArray) ? (a as Value[][]).flat() : undefined)],
  [
    'contains',
    a => {
      const l = list(a[0]);
      return l ? l.some(x => goJson(x) === goJson(a[1] ?? null)) : undefined;
    },
  ],
  [
    'distinct',
    a => {
      const l = list(a[0]);
      return l ? distinct(l) : undefined;
    },
  ],
  [
    'element',
    a => {
      const l = list(a[0]);
      const i = num(a[1]);
      if (!l || l.length === 0 || i === undefined || i < 0) return undefined;
      return l[Math.floor(i) % l.length]!;
    },
  ],
  [
    'flatten',
    a => {
      const l = list(a[0]);
      return l ? flatten(l) : undefined;
    },
  ],
  [
    'floor',
    a => {
      const n = num(a[0]);
      return n === undefined ? undefined : Math.floor(n);
    },
  ],
  ['format', a => formatGo(str(a[0]), a.slice(1))],
  [
    'formatlist',
    a => {
      const lists = a.slice(1).filter(Array.isArray) as Value[][];
      if (lists.length === 0) return formatGo(str(a[0]), a.slice(1));
      const n = lists[0]!.length;
      if (lists.some(l => l.length !== n)) return undefined;
      const out: Value[] = [];
      for (let i = 0; i < n; i++) {
        const r = formatGo(
          str(a[0]),
          a.slice(1).map(x => (Array.isArray(x) ? x[i]! : x)),
        );
        if (r === undefined) return undefined;
        out.push(r);
      }
      return out;
    },
  ],
  [
    'indent',
    a => {
      const n = num(a[0]);
      return n === undefined ? undefined : str(a[1]).replace(/\n/g, `\n${' '.repeat(n)}`);
    },
  ],
  [
    'index',
    a => {
      const c = a[0];
      if (Array.isArray(c)) {
        const i = num(a[1]);
        return i !== undefined && i >= 0 && i < c.length ? c[i]! : undefined;
      }
      if (isObj(c)) {
        const k = str(a[1]);
        return k in c ? c[k]! : undefined;
      }
      return undefined;
    },
  ],
  [
    'join',
    a => {
      const parts = a.slice(1);
      if (!parts.every(Array.isArray)) return undefined;
      return (parts as Value[][]).flat().map(str).join(str(a[0]));
    },
  ],
  [
    'jsondecode',
    a => {
      try {
        return JSON.parse(str(a[0])) as Value;
      } catch {
        return undefined;
      }
    },
  ],
  ['jsonencode', a => goJson(a[0] ?? null)],
  ['keys', a => (isObj(a[0]) ? Object.keys(a[0]).sort() : undefined)],
  // Nomad's length counts collections only (strings: strlen)
  [
    'length',
    a => {
      const x = a[0];
      return Array.isArray(x) ? x.length : isObj(x) ? Object.keys(x).length : undefined;
    },
  ],
  [
    'log',
    a => {
      const n = num(a[0]);
      const b = num(a[1]);
      return n === undefined || b === undefined ? undefined : Math.log(n) / Math.log(b);
    },
  ],
  [
    'lookup',
    a => {
      const m = a[0];
      if (!isObj(m)) return undefined;
      const k = str(a[1]);
      return Object.prototype.hasOwnProperty.call(m, k) ? m[k]! : a.length > 2 ? a[2]! : undefined;
    },
  ],
  ['lower', a => str(a[0]).toLowerCase()],
  [
    'max',
    a => {
      const ns = a.map(num);
      return ns.every(n => n !== undefined) && ns.length ? Math.max(...(ns as number[])) : undefined;
    },
  ],
  [
    'min',
    a => {
      const ns = a.map(num);
      return ns.every(n => n !== undefined) && ns.length ? Math.min(...(ns as number[])) : undefined;
    },
  ],
  ['merge', a => Object.assign({}, ...a.filter(isObj)) as Obj],
  [
    'parseint',
    a => {
      const b = num(a[1]);
      if (b === undefined) return undefined;
      const s = str(a[0]);
      const n = parseInt(s, b);
      return Number.isNaN(n) || !new RegExp(`^[-+]?[0-9a-z]+$`, 'i').test(s) ? undefined : n;
    },
  ],
  [
    'pow',
    a => {
      const x = num(a[0]);
      const y = num(a[1]);
      return x === undefined || y === undefined ? undefined : x ** y;
    },
  ],
  [
    'range',
    a => {
      const ns = a.map(num);
      if (ns.some(n => n === undefined) || ns.length === 0 || ns.length > 3) return undefined;
      const [start, end, step] =
        ns.length === 1 ? [0, ns[0]!, 1] : [ns[0]!, ns[1]!, ns[2] ?? (ns[0]! <= ns[1]! ? 1 : -1)];
      if (step === 0) return undefined;
      const out: Value[] = [];
      for (let x = start!; step! > 0 ? x < end! : x > end!; x += step!) {
        out.push(x);
        if (out.length > 1024) return undefined;
      }
      return out;
    },
  ],
  [
    'regex_replace',
    a => {
      try {
        return str(a[0]).replace(new RegExp(str(a[1]), 'g'), str(a[2]).replace(/\$\{?(\d+)\}?/g, '$$$1'));
      } catch {
        return undefined;
      }
    },
  ],
  ['replace', a => str(a[0]).split(str(a[1])).join(str(a[2]))],
  // Nomad's reverse is go-cty's string reverse (lists have no reverse function there)
  [
    'reverse',
    a => (typeof a[0] === 'string' || typeof a[0] === 'number' ? [...str(a[0])].reverse().join('') : undefined),
  ],
  ['setunion', a => (a.every(Array.isArray) ? distinct((a as Value[][]).flat()) : undefined)],
  ['sha1', a => hex(sha1(new TextEncoder().encode(str(a[0]))))],
  [
    'signum',
    a => {
      const n = num(a[0]);
      return n === undefined ? undefined : Math.sign(n);
    },
  ],
  [
    'slice',
    a => {
      const l = list(a[0]);
      const s = num(a[1]);
      const e = num(a[2]);
      return l && s !== undefined && e !== undefined && s >= 0 && e <= l.length && s <= e ? l.slice(s, e) : undefined;
    },
  ],
  ['sort', a => (Array.isArray(a[0]) ? a[0].map(str).sort() : undefined)],
  ['split', a => str(a[1]).split(str(a[0]))],
  ['strlen', a => [...str(a[0])].length],
  ['strrev', a => [...str(a[0])].reverse().join('')],
  [
    'substr',
    a => {
      const s = [...str(a[0])];
      let o = num(a[1]);
      const l = num(a[2]);
      if (o === undefined || l === undefined) return undefined;
      if (o < 0) o = s.length + o;
      return s.slice(o, l < 0 ? undefined : o + l).join('');
    },
  ],
  ['title', a => str(a[0]).replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_m, p: string, c: string) => p + c.toUpperCase())],
  [
    'trim',
    a => {
      const cut = [...str(a[1])];
      const s = [...str(a[0])];
      let i = 0;
      let j = s.length;
      while (i < j && cut.includes(s[i]!)) i++;
      while (j > i && cut.includes(s[j - 1]!)) j--;
      return s.slice(i, j).join('');
    },
  ],
  [
    'trimprefix',
    a => {
      const s = str(a[0]);
      const p = str(a[1]);
      return s.startsWith(p) ? s.slice(p.length) : s;
    },
  ],
  [
    'trimsuffix',
    a => {
      const s = str(a[0]);
      const p = str(a[1]);
      return p && s.endsWith(p) ? s.slice(0, s.length - p.length) : s;
    },
  ],
  ['trimspace', a => str(a[0]).trim()],
  ['upper', a => str(a[0]).toUpperCase()],
  [
    'urlencode',
    a =>
      encodeURIComponent(str(a[0]))
        .replace(/%20/g, '+')
        .replace(/[!'()*]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
  ],
  ['uuidv5', a => uuidv5(str(a[0]), str(a[1]))],
  [
    'values',
    a =>
      isObj(a[0])
        ? Object.keys(a[0])
            .sort()
            .map(k => (a[0] as Obj)[k]!)
        : undefined,
  ],
  [
    'zipmap',
    a => {
      const k = list(a[0]);
      const v = list(a[1]);
      if (!k || !v || k.length !== v.length) return undefined;
      const o: Obj = {};
      k.forEach((x, i) => {
        o[str(x)] = v[i]!;
      });
      return o;
    },
  ],
]);
