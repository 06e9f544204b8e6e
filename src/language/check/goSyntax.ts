// The syntaxes Nomad judges a constraint's value with, written from their documented rules: Go's RE2
// regular expressions (regexp.Compile, Perl flags: what `regexp` constraints and affinities use), and
// the version constraints of hashicorp/go-version (`version`) and of Nomad's own semver constraints
// (`semver`). JavaScript's RegExp is not a stand-in: it refuses `(?i)`, `\pL`, `[[:alpha:]]`, `\z` and
// `\Q…\E`, which RE2 accepts, and accepts lookarounds, backreferences and `a**`-style nesting, which RE2
// refuses. Pure: no imports.

/** Go's reason for refusing a regular expression (as regexp.Compile words it), or undefined. */
export function goRegexpError(expr: string, options: { angleNames?: boolean } = {}): string | undefined {
  return new Re2Check(expr, options.angleNames ?? false).run();
}

const MAX_REPEAT = 1000;
const PERL_CLASSES = 'dDsSwW';
const POSIX_CLASSES = new Set([
  'alnum',
  'alpha',
  'ascii',
  'blank',
  'cntrl',
  'digit',
  'graph',
  'lower',
  'print',
  'punct',
  'space',
  'upper',
  'word',
  'xdigit',
]);
/** the names \\p{…} knows: Any, the Unicode general categories and scripts of Go 1.21's unicode tables */
const UNICODE_NAMES: ReadonlySet<string> = new Set([
  'Any',
  'Adlam',
  'Ahom',
  'Anatolian_Hieroglyphs',
  'Arabic',
  'Armenian',
  'Avestan',
  'Balinese',
  'Bamum',
  'Bassa_Vah',
  'Batak',
  'Bengali',
  'Bhaiksuki',
  'Bopomofo',
  'Brahmi',
  'Braille',
  'Buginese',
  'Buhid',
  'C',
  'Canadian_Aboriginal',
  'Carian',
  'Caucasian_Albanian',
  'Cc',
  'Cf',
  'Chakma',
  'Cham',
  'Cherokee',
  'Chorasmian',
  'Co',
  'Common',
  'Coptic',
  'Cs',
  'Cuneiform',
  'Cypriot',
  'Cypro_Minoan',
  'Cyrillic',
  'Deseret',
  'Devanagari',
  'Dives_Akuru',
  'Dogra',
  'Duployan',
  'Egyptian_Hieroglyphs',
  'Elbasan',
  'Elymaic',
  'Ethiopic',
  'Georgian',
  'Glagolitic',
  'Gothic',
  'Grantha',
  'Greek',
  'Gujarati',
  'Gunjala_Gondi',
  'Gurmukhi',
  'Han',
  'Hangul',
  'Hanifi_Rohingya',
  'Hanunoo',
  'Hatran',
  'Hebrew',
  'Hiragana',
  'Imperial_Aramaic',
  'Inherited',
  'Inscriptional_Pahlavi',
  'Inscriptional_Parthian',
  'Javanese',
  'Kaithi',
  'Kannada',
  'Katakana',
  'Kawi',
  'Kayah_Li',
  'Kharoshthi',
  'Khitan_Small_Script',
  'Khmer',
  'Khojki',
  'Khudawadi',
  'L',
  'Lao',
  'Latin',
  'Lepcha',
  'Limbu',
  'Linear_A',
  'Linear_B',
  'Lisu',
  'Ll',
  'Lm',
  'Lo',
  'Lt',
  'Lu',
  'Lycian',
  'Lydian',
  'M',
  'Mahajani',
  'Makasar',
  'Malayalam',
  'Mandaic',
  'Manichaean',
  'Marchen',
  'Masaram_Gondi',
  'Mc',
  'Me',
  'Medefaidrin',
  'Meetei_Mayek',
  'Mende_Kikakui',
  'Meroitic_Cursive',
  'Meroitic_Hieroglyphs',
  'Miao',
  'Mn',
  'Modi',
  'Mongolian',
  'Mro',
  'Multani',
  'Myanmar',
  'N',
  'Nabataean',
  'Nag_Mundari',
  'Nandinagari',
  'Nd',
  'New_Tai_Lue',
  'Newa',
  'Nko',
  'Nl',
  'No',
  'Nushu',
  'Nyiakeng_Puachue_Hmong',
  'Ogham',
  'Ol_Chiki',
  'Old_Hungarian',
  'Old_Italic',
  'Old_North_Arabian',
  'Old_Permic',
  'Old_Persian',
  'Old_Sogdian',
  'Old_South_Arabian',
  'Old_Turkic',
  'Old_Uyghur',
  'Oriya',
  'Osage',
  'Osmanya',
  'P',
  'Pahawh_Hmong',
  'Palmyrene',
  'Pau_Cin_Hau',
  'Pc',
  'Pd',
  'Pe',
  'Pf',
  'Phags_Pa',
  'Phoenician',
  'Pi',
  'Po',
  'Ps',
  'Psalter_Pahlavi',
  'Rejang',
  'Runic',
  'S',
  'Samaritan',
  'Saurashtra',
  'Sc',
  'Sharada',
  'Shavian',
  'Siddham',
  'SignWriting',
  'Sinhala',
  'Sk',
  'Sm',
  'So',
  'Sogdian',
  'Sora_Sompeng',
  'Soyombo',
  'Sundanese',
  'Syloti_Nagri',
  'Syriac',
  'Tagalog',
  'Tagbanwa',
  'Tai_Le',
  'Tai_Tham',
  'Tai_Viet',
  'Takri',
  'Tamil',
  'Tangsa',
  'Tangut',
  'Telugu',
  'Thaana',
  'Thai',
  'Tibetan',
  'Tifinagh',
  'Tirhuta',
  'Toto',
  'Ugaritic',
  'Vai',
  'Vithkuqi',
  'Wancho',
  'Warang_Citi',
  'Yezidi',
  'Yi',
  'Z',
  'Zanabazar_Square',
  'Zl',
  'Zp',
  'Zs',
]);
const isWord = (c: string): boolean => /^[0-9A-Za-z_]$/.test(c);
const isAlnum = (c: string): boolean => /^[0-9A-Za-z]$/.test(c);
const isOctal = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '7';
const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9A-Fa-f]$/.test(c);

class Re2Check {
  private i = 0;
  /** angleNames: `(?<name>…)` as well as `(?P<name>…)` (Go 1.22 and later; Nomad 1.6 is built with Go 1.21) */
  constructor(
    private readonly s: string,
    private readonly angleNames: boolean,
  ) {}

  run(): string | undefined {
    try {
      this.parse();
      return undefined;
    } catch (e) {
      if (e instanceof Re2Error) return `error parsing regexp: ${e.message}`;
      throw e;
    }
  }

  private fail(code: string, arg: string): never {
    throw new Re2Error(`${code}: \`${arg}\``);
  }

  private parse(): void {
    const s = this.s;
    let depth = 0;
    /** whether the last item can take a repetition (false at the start, after `(`, `|` and `^`-free starts) */
    let operand = false;
    /** the last item was a repetition (a second one is "nested") */
    let repeated = false;
    let repeatStart = 0;
    while (this.i < s.length) {
      const start = this.i;
      const c = s[this.i]!;
      if (c === '(') {
        // a flag setting such as `(?i)` adds nothing: a repetition after it applies to what came before
        if (this.group()) {
          depth++;
          operand = false;
          repeated = false;
        }
        continue;
      }
      if (c === ')') {
        if (depth === 0) this.fail('unexpected )', s);
        depth--;
        this.i++;
        operand = true;
        repeated = false;
        continue;
      }
      if (c === '|') {
        this.i++;
        operand = false;
        repeated = false;
        continue;
      }
      if (c === '*' || c === '+' || c === '?' || c === '{') {
        let end = this.i + 1;
        if (c === '{') {
          const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.i));
          if (!m) {
            this.i++;
            operand = true;
            repeated = false;
            continue;
          } // a literal `{`
          end = this.i + m[0].length;
          const min = Number(m[1]);
          const max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
          if (min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max))
            this.fail('invalid repeat count', s.slice(this.i, end));
        }
        if (s[end] === '?') end++;
        if (!operand) this.fail('missing argument to repetition operator', s.slice(this.i, end));
        if (repeated) this.fail('invalid nested repetition operator', s.slice(repeatStart, end));
        repeatStart = start;
        this.i = end;
        repeated = true;
        continue;
      }
      repeated = false;
      if (c === '[') {
        this.charClass();
        operand = true;
        continue;
      }
      if (c === '\\') {
        const t = s[this.i + 1];
        if (t === undefined) this.fail('trailing backslash at end of expression', '');
        if (t === 'b' || t === 'B' || t === 'A' || t === 'z') {
          this.i += 2;
          operand = true;
          continue;
        }
        if (t === 'Q') {
          const endQ = s.indexOf('\\E', this.i + 2);
          const lit = endQ < 0 ? s.slice(this.i + 2) : s.slice(this.i + 2, endQ);
          this.i = endQ < 0 ? s.length : endQ + 2;
          operand = lit.length > 0 || operand;
          continue;
        }
        this.escape(false);
        operand = true;
        continue;
      }
      // `^`, `$`, `.` and literals
      this.i += c.length;
      operand = true;
    }
    if (depth > 0) this.fail('missing closing )', s);
  }

  /** a group at this.i; false when it was a flag setting such as `(?i)`, which opens nothing */
  private group(): boolean {
    const s = this.s;
    if (s[this.i + 1] !== '?') {
      this.i++;
      return true;
    }
    const rest = s.slice(this.i);
    // a named group: (?P<name>…), and (?<name>…) from Go 1.22; `(?P<` needs something after it
    const namedStart =
      rest.startsWith('(?P<') && rest.length > 4
        ? 4
        : this.angleNames && rest.startsWith('(?<') && rest.length > 3 && rest[3] !== '=' && rest[3] !== '!'
          ? 3
          : 0;
    if (namedStart) {
      const end = rest.indexOf('>');
      if (end < 0) this.fail('invalid named capture', rest);
      const name = rest.slice(namedStart, end);
      if (name === '' || ![...name].every(isWord)) this.fail('invalid named capture', rest.slice(0, end + 1));
      this.i += end + 1;
      return true;
    }
    // flags: (?i) (?i-s) (?i:…); anything else is Perl syntax RE2 does not have
    let j = this.i + 2;
    let sign = 1;
    let sawFlag = false;
    for (; j < s.length; j++) {
      const c = s[j]!;
      if (c === 'i' || c === 'm' || c === 's' || c === 'U') {
        sawFlag = true;
        continue;
      }
      if (c === '-') {
        if (sign < 0) break;
        sign = -1;
        sawFlag = false;
        continue;
      }
      if (c === ':' || c === ')') {
        if (sign < 0 && !sawFlag) break;
        this.i = j + 1;
        return c === ':';
      }
      break;
    }
    this.fail('invalid or unsupported Perl syntax', s.slice(this.i, Math.min(j + 1, s.length)));
  }

  /** an escape at this.i (the backslash); inClass: inside [...] */
  private escape(inClass: boolean): void {
    const s = this.s;
    const t = s[this.i + 1]!;
    const start = this.i;
    this.i += 2;
    if (PERL_CLASSES.includes(t)) return;
    if (t === 'p' || t === 'P') {
      let name: string;
      if (s[this.i] === '{') {
        const end = s.indexOf('}', this.i);
        if (end < 0) this.fail('invalid character class range', s.slice(start));
        name = s.slice(this.i + 1, end);
        this.i = end + 1;
      } else {
        name = s[this.i] ?? '';
        if (!name) this.fail('invalid character class range', s.slice(start));
        this.i++;
      }
      const bare = name.startsWith('^') ? name.slice(1) : name;
      if (!UNICODE_NAMES.has(bare)) this.fail('invalid character class range', s.slice(start, this.i));
      return;
    }
    if (t >= '1' && t <= '7') {
      // a single non-zero digit is a backreference (unsupported); two or more octal digits are a value
      if (!isOctal(s[this.i])) this.fail('invalid escape sequence', s.slice(start, this.i));
    }
    if (t >= '0' && t <= '7') {
      if (isOctal(s[this.i])) this.i++;
      if (isOctal(s[this.i])) this.i++;
      return;
    }
    if (t === 'x') {
      if (s[this.i] === '{') {
        const end = s.indexOf('}', this.i);
        const hex = end < 0 ? '' : s.slice(this.i + 1, end);
        if (end < 0 || hex === '' || ![...hex].every(isHex))
          this.fail('invalid escape sequence', s.slice(start, end < 0 ? s.length : end + 1));
        if (parseInt(hex, 16) > 0x10ffff) this.fail('invalid escape sequence', s.slice(start, end));
        this.i = end + 1;
        return;
      }
      if (!isHex(s[this.i]) || !isHex(s[this.i + 1]))
        this.fail('invalid escape sequence', s.slice(start, Math.min(s.length, this.i + 2)));
      this.i += 2;
      return;
    }
    if ('afnrtv'.includes(t)) return;
    if (!inClass && (t === 'b' || t === 'B' || t === 'A' || t === 'z')) return;
    const code = t.codePointAt(0)!;
    if (code < 0x80 && !isAlnum(t)) return; // escaped punctuation
    this.fail('invalid escape sequence', s.slice(start, start + 1 + t.length));
  }

  private charClass(): void {
    const s = this.s;
    const start = this.i;
    this.i++;
    if (s[this.i] === '^') this.i++;
    let first = true;
    for (;;) {
      const c = s[this.i];
      if (c === undefined) this.fail('missing closing ]', s.slice(start));
      if (c === ']' && !first) {
        this.i++;
        return;
      }
      first = false;
      if (c === '[' && s[this.i + 1] === ':') {
        const end = s.indexOf(':]', this.i + 2);
        if (end >= 0) {
          const name = s.slice(this.i + 2, end).replace(/^\^/, '');
          if (!POSIX_CLASSES.has(name)) this.fail('invalid character class range', s.slice(this.i, end + 2));
          this.i = end + 2;
          continue;
        }
      }
      const loStart = this.i;
      const lo = this.classChar(start, false);
      if (lo === undefined) continue; // a class escape (\d, \pL): cannot start a range
      if (s[this.i] === '-' && s[this.i + 1] !== ']' && s[this.i + 1] !== undefined) {
        this.i++;
        const hi = this.classChar(start, true)!;
        if (hi < lo) this.fail('invalid character class range', s.slice(loStart, this.i));
      }
    }
  }

  /** one character of a class at this.i: its code point, or undefined for a class escape (not allowed as a range's end) */
  private classChar(classStart: number, rangeEnd: boolean): number | undefined {
    const s = this.s;
    const c = s[this.i]!;
    if (c !== '\\') {
      const cp = s.codePointAt(this.i)!;
      this.i += cp > 0xffff ? 2 : 1;
      return cp;
    }
    const t = s[this.i + 1];
    if (t === undefined) this.fail('missing closing ]', s.slice(classStart));
    if (PERL_CLASSES.includes(t) || t === 'p' || t === 'P') {
      if (rangeEnd) this.fail('invalid escape sequence', s.slice(this.i, this.i + 2));
      this.escape(true);
      return undefined;
    }
    const from = this.i;
    this.escape(true);
    const text = s.slice(from, this.i);
    return escapedValue(text);
  }
}

/** the code point an escape such as `\x41`, `\101`, `\n` or `\]` stands for */
function escapedValue(text: string): number {
  const t = text[1]!;
  if (t === 'x') return parseInt(text.slice(2).replace(/[{}]/g, ''), 16);
  if (t >= '0' && t <= '7') return parseInt(text.slice(1), 8);
  const named: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
  return named[t] ?? t.codePointAt(0)!;
}

class Re2Error extends Error {}

// ---- version constraints ---------------------------------------------------------------------------

/** Go's \s: the ASCII white space RE2 knows */
const WS = '[\\t\\n\\f\\r ]*';
const VERSION_RAW =
  'v?([0-9]+(\\.[0-9]+)*?)' +
  '(-([0-9]+[0-9A-Za-z\\-~]*(\\.[0-9A-Za-z\\-~]+)*)|(-?([A-Za-z\\-~]+[0-9A-Za-z\\-~]*(\\.[0-9A-Za-z\\-~]+)*)))?' +
  '(\\+([0-9A-Za-z\\-~]+(\\.[0-9A-Za-z\\-~]+)*))?';
const SEMVER_RAW =
  'v?([0-9]+(\\.[0-9]+)*?)' +
  '(-([0-9]+[0-9A-Za-z\\-~]*(\\.[0-9A-Za-z\\-~]+)*)|(-([A-Za-z\\-~]+[0-9A-Za-z\\-~]*(\\.[0-9A-Za-z\\-~]+)*)))?' +
  '(\\+([0-9A-Za-z\\-~]+(\\.[0-9A-Za-z\\-~]+)*))?';
const GO_VERSION_CONSTRAINT = new RegExp(`^${WS}(|=|!=|>|<|>=|<=|~>)${WS}(${VERSION_RAW})${WS}$`);
const NOMAD_SEMVER_CONSTRAINT = new RegExp(`^${WS}(|=|!=|>|<|>=|<=)${WS}(${SEMVER_RAW})${WS}$`);

function constraintError(value: string, re: RegExp): string | undefined {
  for (const single of value.split(',')) {
    if (!re.test(single)) return `Malformed constraint: ${single}`;
  }
  return undefined;
}

/** why hashicorp/go-version refuses a constraint such as ">= 1.2, < 2" (the `version` operator) */
export function goVersionConstraintError(value: string): string | undefined {
  return constraintError(value, GO_VERSION_CONSTRAINT);
}

/** why Nomad's semver constraints refuse a value (the `semver` operator: no `~>`, a `-` before a pre-release) */
export function semverConstraintError(value: string): string | undefined {
  return constraintError(value, NOMAD_SEMVER_CONSTRAINT);
}
