// The functions a `template` block's data may call: Go's text/template built-ins, consul-template's
// (v0.35.0, the version Nomad 1.6.5 builds with) and Sprig's under the `sprig_` prefix, with our own
// one-line descriptions. Nomad's clients deny `plugin` and `writeToFile` by default
// (client.template.function_denylist). Pure data.

export interface TemplateFunction {
  name: string;
  /** the arguments, as one reads them ("path") */
  args: string;
  doc: string;
  /** denied by a Nomad client's default function_denylist */
  denied?: boolean;
}

/** The words of the template language that are not functions. */
export const KEYWORDS: Record<string, string> = {
  if: 'Runs its body when the pipeline is not empty (false, 0, nil, an empty string, list or map); `else` / `else if` follow.',
  else: 'The other branch of `if`, `with` or `range`.',
  end: 'Closes `if`, `range`, `with`, `define` or `block`.',
  range:
    'Runs its body for each element of a list or map, with `.` set to the element (`range $k, $v := …` names them).',
  with: "Runs its body with `.` set to the pipeline's value, when it is not empty.",
  define: 'Declares a named template (`{{ define "name" }}…{{ end }}`).',
  template: 'Runs a named template with `.` set to the pipeline (`{{ template "name" . }}`).',
  block: 'Declares a named template and runs it at once.',
  break: 'Leaves the innermost `range`.',
  continue: 'Goes on with the next element of the innermost `range`.',
  true: 'The boolean true.',
  false: 'The boolean false.',
  nil: 'The untyped nil.',
};

const F = (name: string, args: string, doc: string, denied?: boolean): TemplateFunction => ({
  name,
  args,
  doc,
  ...(denied ? { denied } : {}),
});

export const FUNCTIONS: readonly TemplateFunction[] = [
  // Nomad
  F(
    'nomadVar',
    '"path[@namespace]"',
    'The items of a Nomad Variable, as a map of key to value (`.key` reads one); waits until it exists.',
  ),
  F(
    'nomadVarList',
    '["prefix[@namespace]"]',
    'The metadata of the Nomad Variables under a prefix (each with `.Path`).',
  ),
  F(
    'nomadVarListSafe',
    '["prefix[@namespace]"]',
    'Like nomadVarList, but renders nothing instead of failing when the list is refused.',
  ),
  F(
    'nomadVarExists',
    '"path[@namespace]"',
    'Whether a Nomad Variable exists at the path (true or false, without waiting).',
  ),
  F(
    'nomadService',
    '"[tag.]name[@region]"',
    'The registrations of a Nomad-native service (each with `.Address` and `.Port`).',
  ),
  F(
    'nomadServices',
    '["@region"]',
    "The Nomad-native services of the job's namespace (each with `.Name` and `.Tags`).",
  ),
  // Consul and Vault
  F('key', '"path"', 'The value of a Consul KV key; waits until it exists.'),
  F('keyExists', '"path"', 'Whether a Consul KV key exists.'),
  F('keyOrDefault', '"path" "default"', 'The value of a Consul KV key, or the default when it does not exist.'),
  F('ls', '"prefix"', 'The Consul KV pairs directly under a prefix.'),
  F('safeLs', '"prefix"', 'Like ls, but renders nothing until the prefix has keys.'),
  F('tree', '"prefix"', 'Every Consul KV pair under a prefix, recursively.'),
  F('safeTree', '"prefix"', 'Like tree, but renders nothing until the prefix has keys.'),
  F('service', '"[tag.]name[@datacenter]"', 'The healthy instances of a Consul service.'),
  F('services', '["@datacenter"]', 'The services of the Consul catalog.'),
  F('connect', '"name"', 'The Connect-capable instances of a Consul service.'),
  F('node', '["name"]', "A Consul node and its services (the local agent's by default)."),
  F('nodes', '["@datacenter"]', 'The nodes of the Consul catalog.'),
  F('datacenters', '[ignoreInaccessible]', 'The Consul datacenters.'),
  F('caRoots', '', 'The Consul Connect CA root certificates.'),
  F('caLeaf', '"service"', 'A Consul Connect leaf certificate for a service.'),
  F('secret', '"path" ["k=v" …]', 'A Vault secret (read, or written with the given parameters).'),
  F('secrets', '"path"', 'The names of the Vault secrets under a path.'),
  F('pkiCert', '"path" ["k=v" …]', 'A Vault PKI certificate, renewed before it expires.'),
  // the environment and files
  F('env', '"NAME"', 'The value of an environment variable of the task (NOMAD_* included).'),
  F('mustEnv', '"NAME"', 'The value of an environment variable; fails when it is not set.'),
  F('envOrDefault', '"NAME" "default"', 'The value of an environment variable, or the default.'),
  F('file', '"path"', 'The content of a file on the client; re-rendered when it changes.'),
  F('executeTemplate', '"name" [data]', 'Runs a named template and returns its text.'),
  F('scratch', '', 'A scratch pad of values shared within the template (`.Set`, `.Get`).'),
  F('plugin', '"command" [args …]', 'Runs a command and uses its output.', true),
  F('writeToFile', '"path" "user" "group" "mode" content', 'Writes content to a file.', true),
  F('sockaddr', '"template"', 'An address from the go-sockaddr template language.'),
  F('timestamp', '["layout"]', 'The current time (RFC 3339 by default).'),
  // lists and maps
  F('byKey', 'pairs', 'KV pairs grouped by their top-level key.'),
  F('byTag', 'services', 'Services grouped by tag.'),
  F('byMeta', '"key" services', 'Services grouped by a meta key.'),
  F('contains', 'value list', 'Whether the list holds the value.'),
  F('containsAll', 'values list', 'Whether the list holds all the values.'),
  F('containsAny', 'values list', 'Whether the list holds any of the values.'),
  F('containsNone', 'values list', 'Whether the list holds none of the values.'),
  F('containsNotAll', 'values list', 'Whether the list lacks some of the values.'),
  F('in', 'list value', 'Whether the value is in the list.'),
  F('explode', 'pairs', 'KV pairs as a nested map.'),
  F('explodeMap', 'map', 'A flat map with slash-separated keys as a nested map.'),
  F('mergeMap', 'a b', 'Two maps merged, the first winning.'),
  F('mergeMapWithOverride', 'a b', 'Two maps merged, the second winning.'),
  F('loop', '[start] stop', 'The integers from start up to stop, for `range`.'),
  F('split', '"sep" text', 'The text split at each separator.'),
  F('splitToMap', '"pairSep" "kvSep" text', 'The text split into a map of keys and values.'),
  F('join', '"sep" list', 'The list joined with the separator.'),
  // text
  F('indent', 'n text', 'The text with every line indented by n spaces.'),
  F('trim', 'text "cutset"', "The text without the cutset's characters at both ends."),
  F('trimPrefix', '"prefix" text', 'The text without the prefix.'),
  F('trimSuffix', '"suffix" text', 'The text without the suffix.'),
  F('trimSpace', 'text', 'The text without white space at both ends.'),
  F('toLower', 'text', 'The text in lower case.'),
  F('toUpper', 'text', 'The text in upper case.'),
  F('toTitle', 'text', 'The text with each word capitalised.'),
  F('replaceAll', '"from" "to" text', 'The text with every `from` replaced.'),
  F('regexMatch', '"re" text', 'Whether the text matches the regular expression.'),
  F('regexReplaceAll', '"re" "repl" text', 'The text with every match of the regular expression replaced.'),
  F('parseBool', 'text', 'The text as a boolean.'),
  F('parseFloat', 'text', 'The text as a float.'),
  F('parseInt', 'text', 'The text as an integer.'),
  F('parseUint', 'text', 'The text as an unsigned integer.'),
  F('parseJSON', 'text', 'The text decoded as JSON.'),
  F('parseYAML', 'text', 'The text decoded as YAML.'),
  F('toJSON', 'value', 'The value encoded as JSON.'),
  F('toJSONPretty', 'value', 'The value encoded as indented JSON.'),
  F('toUnescapedJSON', 'value', 'The value as JSON, without HTML escaping.'),
  F('toUnescapedJSONPretty', 'value', 'The value as indented JSON, without HTML escaping.'),
  F('toTOML', 'value', 'The value encoded as TOML.'),
  F('toYAML', 'value', 'The value encoded as YAML.'),
  F('base64Decode', 'text', 'The text decoded from base64.'),
  F('base64Encode', 'text', 'The text encoded as base64.'),
  F('base64URLDecode', 'text', 'The text decoded from URL-safe base64.'),
  F('base64URLEncode', 'text', 'The text encoded as URL-safe base64.'),
  F('sha256Hex', 'text', 'The SHA-256 of the text, in hex.'),
  F('md5sum', 'text', 'The MD5 of the text, in hex.'),
  F('hmacSHA256Hex', 'text "key"', 'The HMAC-SHA256 of the text with the key, in hex.'),
  F('spew_dump', 'value', "Prints a value's structure (debugging)."),
  F('spew_printf', '"format" values', 'Prints values with their structure (debugging).'),
  F('spew_sdump', 'value', "A value's structure as text (debugging)."),
  F('spew_sprintf', '"format" values', 'Values with their structure, formatted (debugging).'),
  // arithmetic
  F('add', 'b a', 'a + b.'),
  F('subtract', 'b a', 'a - b.'),
  F('multiply', 'b a', 'a × b.'),
  F('divide', 'b a', 'a ÷ b.'),
  F('modulo', 'b a', 'a mod b.'),
  F('minimum', 'a b', 'The smaller of the two.'),
  F('maximum', 'a b', 'The larger of the two.'),
  // Go's built-ins
  F('and', 'a b …', 'The first empty argument, else the last.'),
  F('or', 'a b …', 'The first non-empty argument, else the last.'),
  F('not', 'a', 'The boolean negation.'),
  F('len', 'x', 'The length of a string, list or map.'),
  F('index', 'x keys …', 'An element of a list or map.'),
  F('slice', 'x [i [j]]', 'A part of a string or list.'),
  F('print', 'values', 'The values as text (fmt.Sprint).'),
  F('printf', '"format" values', 'The values formatted (fmt.Sprintf).'),
  F('println', 'values', 'The values as text with a line break.'),
  F('call', 'fn args …', 'Calls a function value.'),
  F('html', 'text', 'The text escaped for HTML.'),
  F('js', 'text', 'The text escaped for JavaScript.'),
  F('urlquery', 'text', 'The text escaped for a URL query.'),
  F('eq', 'a b …', 'a equals any of the others.'),
  F('ne', 'a b', 'a is not b.'),
  F('lt', 'a b', 'a < b.'),
  F('le', 'a b', 'a ≤ b.'),
  F('gt', 'a b', 'a > b.'),
  F('ge', 'a b', 'a ≥ b.'),
];

/** Sprig's text functions (v3.2.3), which consul-template offers as `sprig_<name>`. */
const SPRIG = (
  'abbrev abbrevboth add add1 add1f addf adler32sum ago all any append atoi b32dec b32enc b64dec b64enc base bcrypt ' +
  'biggest buildCustomCert camelcase cat ceil chunk clean coalesce compact concat contains date dateInZone dateModify date_in_zone ' +
  'date_modify decryptAES deepCopy deepEqual default derivePassword dict dig dir div divf duration durationRound empty encryptAES ' +
  'env expandenv ext fail first float64 floor fromJson genCA genCAWithKey genPrivateKey genSelfSignedCert genSelfSignedCertWithKey ' +
  'genSignedCert genSignedCertWithKey get getHostByName has hasKey hasPrefix hasSuffix hello htmlDate htmlDateInZone htpasswd indent ' +
  'initial initials int int64 isAbs join kebabcase keys kindIs kindOf last list lower max maxf merge mergeOverwrite min minf mod mul ' +
  'mulf mustAppend mustChunk mustCompact mustDateModify mustDeepCopy mustFirst mustFromJson mustHas mustInitial mustLast mustMerge ' +
  'mustMergeOverwrite mustPrepend mustRegexFind mustRegexFindAll mustRegexMatch mustRegexReplaceAll mustRegexReplaceAllLiteral ' +
  'mustRegexSplit mustRest mustReverse mustSlice mustToDate mustToJson mustToPrettyJson mustToRawJson mustUniq mustWithout ' +
  'must_date_modify nindent nospace now omit osBase osClean osDir osExt osIsAbs pick pluck plural prepend quote randAlpha ' +
  'randAlphaNum randAscii randBytes randInt randNumeric regexFind regexFindAll regexMatch regexQuoteMeta regexReplaceAll ' +
  'regexReplaceAllLiteral regexSplit repeat replace rest reverse round semver semverCompare seq set sha1sum sha256sum shuffle slice ' +
  'snakecase sortAlpha split splitList splitn squote sub subf substr swapcase ternary title toDate toDecimal toJson toPrettyJson ' +
  'toRawJson toString toStrings trim trimAll trimPrefix trimSuffix trimall trunc tuple typeIs typeIsLike typeOf uniq unixEpoch unset ' +
  'until untilStep untitle upper urlJoin urlParse uuidv4 values without wrap wrapWith'
).split(' ');

export const SPRIG_FUNCTIONS: readonly string[] = SPRIG.map(n => `sprig_${n}`);

const BY_NAME = new Map<string, TemplateFunction>(FUNCTIONS.map(f => [f.name, f]));
const SPRIG_SET = new Set(SPRIG_FUNCTIONS);

export function templateFunction(name: string): TemplateFunction | undefined {
  const f = BY_NAME.get(name);
  if (f) return f;
  return SPRIG_SET.has(name)
    ? { name, args: '…', doc: `Sprig's ${name.slice(6)}, as consul-template offers it.` }
    : undefined;
}

export const isKeyword = (name: string): boolean => Object.hasOwn(KEYWORDS, name);
