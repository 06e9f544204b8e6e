// HCL2 functions available in Nomad job files (jobspec2's function table), with our own
// one-line summaries for completion and signature help.
import type { FunctionParam, FunctionSchema } from './types';

type Row = [name: string, params: string, returns: string, description: string];

// params: comma-separated `name:type`; a trailing `...` marks a variadic parameter.
const rows: Row[] = [
  ['abs', 'num:number', 'number', 'The absolute value of a number.'],
  ['base64decode', 'str:string', 'string', 'Decodes a Base64 string into UTF-8 text.'],
  ['base64encode', 'str:string', 'string', 'Encodes text as Base64.'],
  ['bcrypt', 'str:string, cost:number...', 'string', 'Hashes a string with bcrypt; the optional cost defaults to 10.'],
  ['can', 'expression:any', 'bool', 'True when the expression evaluates without an error.'],
  ['ceil', 'num:number', 'number', 'Rounds up to the next whole number.'],
  ['chomp', 'str:string', 'string', 'Strips trailing newline characters.'],
  ['chunklist', 'list:list, size:number', 'list', 'Splits a list into consecutive chunks of at most size elements.'],
  ['cidrhost', 'prefix:string, hostnum:number', 'string', 'The address of host number hostnum inside an IP prefix.'],
  ['cidrnetmask', 'prefix:string', 'string', 'The dotted netmask of an IPv4 prefix.'],
  [
    'cidrsubnet',
    'prefix:string, newbits:number, netnum:number',
    'string',
    'Carves subnet netnum out of a prefix, extending it by newbits bits.',
  ],
  [
    'cidrsubnets',
    'prefix:string, newbits:number...',
    'list(string)',
    'Allocates consecutive subnets of the given sizes from a prefix.',
  ],
  ['coalesce', 'vals:any...', 'any', 'The first argument that is neither null nor an empty string.'],
  ['coalescelist', 'vals:list...', 'list', 'The first list argument that is not empty.'],
  ['compact', 'list:list(string)', 'list(string)', 'Drops empty strings from a list.'],
  ['concat', 'seqs:list...', 'list', 'Joins several lists into one.'],
  ['contains', 'list:list, value:any', 'bool', 'True when the list has an element equal to value.'],
  ['convert', 'value:any, type:type', 'any', 'Converts a value to the given type constraint, e.g. convert(x, number).'],
  ['csvdecode', 'str:string', 'list(object)', 'Parses CSV text (with a header row) into a list of objects.'],
  ['distinct', 'list:list', 'list', 'Removes duplicate elements, keeping first occurrences.'],
  ['element', 'list:list, index:number', 'any', 'The element at index, wrapping around past the end.'],
  ['flatten', 'list:list', 'list', 'Replaces nested lists by their elements, recursively.'],
  ['floor', 'num:number', 'number', 'Rounds down to the previous whole number.'],
  ['format', 'format:string, args:any...', 'string', 'Builds a string from a printf-style format.'],
  [
    'formatdate',
    'format:string, time:string',
    'string',
    'Formats an RFC 3339 timestamp with a date pattern such as "YYYY-MM-DD".',
  ],
  [
    'formatlist',
    'format:string, args:any...',
    'list(string)',
    'Applies a printf-style format element-wise over lists.',
  ],
  ['indent', 'spaces:number, str:string', 'string', 'Indents every line but the first by the given number of spaces.'],
  ['index', 'list:list, value:any', 'number', 'Position of the first element equal to value.'],
  ['join', 'separator:string, lists:list(string)...', 'string', 'Concatenates list elements with a separator.'],
  ['jsondecode', 'str:string', 'any', 'Parses JSON text into a value.'],
  ['jsonencode', 'val:any', 'string', 'Serialises a value as JSON.'],
  ['keys', 'map:map', 'list(string)', 'The keys of a map or object, sorted.'],
  ['length', 'value:any', 'number', 'Number of elements of a collection, or characters of a string.'],
  ['log', 'num:number, base:number', 'number', 'Logarithm of num in the given base.'],
  [
    'lookup',
    'map:map, key:string, default:any',
    'any',
    'The value for key in a map, or default when the key is absent.',
  ],
  ['lower', 'str:string', 'string', 'Converts letters to lower case.'],
  ['max', 'numbers:number...', 'number', 'The largest of the arguments.'],
  ['md5', 'str:string', 'string', 'Hex-encoded MD5 digest of a string.'],
  ['merge', 'maps:map...', 'map', 'Combines maps or objects; later arguments win on duplicate keys.'],
  ['min', 'numbers:number...', 'number', 'The smallest of the arguments.'],
  ['parseint', 'number:string, base:number', 'number', 'Parses a string as an integer written in the given base.'],
  ['pow', 'num:number, power:number', 'number', 'num raised to power.'],
  [
    'range',
    'params:number...',
    'list(number)',
    'A list of numbers: range(end), range(start, end) or range(start, end, step).',
  ],
  ['reverse', 'list:list', 'list', 'The list in reverse order.'],
  [
    'replace',
    'str:string, substr:string, replace:string',
    'string',
    'Replaces every occurrence of substr; a /regex/ substr is matched as a regular expression.',
  ],
  [
    'regex_replace',
    'str:string, pattern:string, replace:string',
    'string',
    'Replaces every match of a regular expression.',
  ],
  [
    'rsadecrypt',
    'ciphertext:string, privatekey:string',
    'string',
    'Decrypts Base64 RSA ciphertext with a PEM private key.',
  ],
  ['setintersection', 'sets:set...', 'set', 'Elements present in every argument.'],
  ['setproduct', 'sets:list...', 'list', 'Every combination of one element from each argument.'],
  ['setunion', 'sets:set...', 'set', 'Elements present in any argument.'],
  ['sha1', 'str:string', 'string', 'Hex-encoded SHA-1 digest of a string.'],
  ['sha256', 'str:string', 'string', 'Hex-encoded SHA-256 digest of a string.'],
  ['sha512', 'str:string', 'string', 'Hex-encoded SHA-512 digest of a string.'],
  ['signum', 'num:number', 'number', '-1, 0 or 1 depending on the sign of the number.'],
  ['slice', 'list:list, start:number, end:number', 'list', 'Elements from start up to (not including) end.'],
  ['sort', 'list:list(string)', 'list(string)', 'Sorts strings lexicographically.'],
  ['split', 'separator:string, str:string', 'list(string)', 'Cuts a string at every separator.'],
  ['strlen', 'str:string', 'number', 'Number of characters in a string.'],
  ['strrev', 'str:string', 'string', 'The characters of a string in reverse order.'],
  [
    'substr',
    'str:string, offset:number, length:number',
    'string',
    'Part of a string by character offset and length (-1 for the rest).',
  ],
  [
    'timeadd',
    'timestamp:string, duration:string',
    'string',
    'Adds a duration such as "1h30m" to an RFC 3339 timestamp.',
  ],
  ['title', 'str:string', 'string', 'Upper-cases the first letter of every word.'],
  ['trim', 'str:string, cutset:string', 'string', 'Removes the given characters from both ends.'],
  ['trimprefix', 'str:string, prefix:string', 'string', 'Removes a prefix if present.'],
  ['trimspace', 'str:string', 'string', 'Removes whitespace from both ends.'],
  ['trimsuffix', 'str:string, suffix:string', 'string', 'Removes a suffix if present.'],
  ['try', 'expressions:any...', 'any', 'The value of the first argument that evaluates without an error.'],
  ['upper', 'str:string', 'string', 'Converts letters to upper case.'],
  ['urlencode', 'str:string', 'string', 'Percent-encodes a string for use in a URL query.'],
  ['uuidv4', '', 'string', 'A new random UUID (changes on every parse).'],
  [
    'uuidv5',
    'namespace:string, name:string',
    'string',
    'A name-based UUID; namespace is "dns", "url", "oid", "x500" or a UUID.',
  ],
  ['values', 'mapping:map', 'list', 'The values of a map or object, ordered by key.'],
  ['yamldecode', 'src:string', 'any', 'Parses YAML text into a value.'],
  ['yamlencode', 'value:any', 'string', 'Serialises a value as YAML.'],
  ['zipmap', 'keys:list(string), values:list', 'map', 'Builds a map from a list of keys and a list of values.'],
  ['abspath', 'path:string', 'string', 'Turns a path into an absolute one.'],
  ['basename', 'path:string', 'string', 'The last element of a path.'],
  ['dirname', 'path:string', 'string', 'A path without its last element.'],
  ['file', 'path:string', 'string', 'The contents of a file (relative to the job file) as text.'],
  ['filebase64', 'path:string', 'string', 'The contents of a file as Base64.'],
  ['fileexists', 'path:string', 'bool', 'True when a file exists at the path.'],
  ['fileset', 'path:string, pattern:string', 'set(string)', 'File names under path that match a glob pattern.'],
  ['pathexpand', 'path:string', 'string', 'Expands a leading ~ to the home directory.'],
];

const filesystem = new Set([
  'abspath',
  'basename',
  'dirname',
  'file',
  'filebase64',
  'fileexists',
  'fileset',
  'pathexpand',
]);

function parseParams(spec: string): FunctionParam[] {
  if (spec === '') return [];
  return spec.split(',').map(p => {
    const [name, rawType] = p.trim().split(':') as [string, string];
    const variadic = rawType.endsWith('...');
    const type = variadic ? rawType.slice(0, -3) : rawType;
    return variadic ? { name, type, variadic } : { name, type };
  });
}

export const jobspecFunctions: readonly FunctionSchema[] = rows.map(([name, params, returns, description]) => {
  const f: FunctionSchema = { name, params: parseParams(params), returns, description };
  if (filesystem.has(name)) f.filesystem = true;
  return f;
});
