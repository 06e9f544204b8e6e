// HCL1 syntax that the HCL2 parser cannot read but Nomad's HCL1 decoder does: unquoted dotted keys
// (`driver.allowlist = "docker"` inside client options). Pure: no `vscode` import.
import { parseNative, walk, type HclFile } from '../hcl';

const DOTTED_KEY = /^([ \t]*)([A-Za-z_][\w-]*(?:\.[\w-]+)+)([ \t]*=)/gm;

/**
 * Re-parses `file` with dotted keys read as names (same offsets: the dots are parsed as `_` and the
 * names restored from the text afterwards). Returns undefined when the file has no dotted key.
 */
export function reparseDottedKeys(file: HclFile): HclFile | undefined {
  const text = file.text;
  if (file.syntax !== 'hcl' || !/^[ \t]*[A-Za-z_][\w-]*\.[\w.-]*[ \t]*=/m.test(text)) return undefined;
  const patched = text.replace(
    DOTTED_KEY,
    (_m, lead: string, key: string, eq: string) => `${lead}${key.replace(/\./g, '_')}${eq}`,
  );
  const out = parseNative(patched);
  walk(out.body, {
    enter(node) {
      if (node.kind === 'Attribute') {
        const real = text.slice(node.nameRange.start, node.nameRange.end);
        if (real.includes('.')) node.name = real;
      } else if (node.kind === 'ObjectItem' && node.keyName !== undefined) {
        const real = text.slice(node.key.range.start, node.key.range.end);
        if (real.includes('.') && !real.startsWith('"')) node.keyName = real;
      }
      return true;
    },
  });
  out.text = text;
  return out;
}
