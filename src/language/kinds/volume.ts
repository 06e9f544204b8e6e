// Diagnostics of volume specifications (`nomad volume create|register <file>`) and namespace
// specifications (`nomad namespace apply <file>`). Facts from Nomad v1.6.5 command/volume_*.go,
// command/namespace_apply.go and nomad/structs/csi.go: unknown top-level keys are dropped silently,
// `capability` and `mount_options` accept only their own keys, the server requires an id, a plugin id
// and a capability. Pure: no `vscode` import.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { firstItemRange, type HclFile } from '../hcl';
import { volumeSpecSchema, type BlockSchema } from '../schema';
import {
  childNames,
  childrenOf,
  KindChecker,
  KindCodes,
  KindContext,
  scalarText,
  type Child,
  type KindProfile,
} from './check';
import { namespaceSpecSchema, volumeTypeOf } from './schemas';

const STRICT_VOLUME_BLOCKS: ReadonlySet<string> = new Set([
  'CSIVolumeSpec.capability',
  'CSIVolumeSpec.mount_options',
  'HostVolumeSpec.capability',
]);

/** Sizes such as "10GiB", "500 MB", "1e9" (what the CLI's byte-size parser takes). */
export function byteSizeProblem(text: string): string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const m = /^([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*([a-zA-Z]*)$/.exec(t);
  if (!m) return `"${text}" is not a size such as "10GiB"`;
  const unit = m[2]!.toLowerCase();
  const units = [
    '',
    'b',
    'k',
    'kb',
    'kib',
    'ki',
    'm',
    'mb',
    'mib',
    'mi',
    'g',
    'gb',
    'gib',
    'gi',
    't',
    'tb',
    'tib',
    'ti',
    'p',
    'pb',
    'pib',
    'pi',
    'e',
    'eb',
    'eib',
    'ei',
    'byte',
    'bytes',
  ];
  return units.includes(unit)
    ? undefined
    : `"${m[2]}" is not a size unit (use B, KB, KiB, MB, MiB, GB, GiB, TB, TiB …)`;
}

export const volumeProfile: KindProfile = {
  what: 'volume specification',
  strictUnknown: (schema: BlockSchema) => STRICT_VOLUME_BLOCKS.has(schema.id),
  strictEnums: new Set([
    'CSIVolumeSpec.capability.access_mode',
    'CSIVolumeSpec.capability.attachment_mode',
    'HostVolumeSpec.capability.access_mode',
    'HostVolumeSpec.capability.attachment_mode',
  ]),
  deprecations: new Map([
    [
      'CSIVolumeSpec.access_mode',
      {
        message:
          'A top-level `access_mode` is the pre-1.1 form: put it in a `capability { access_mode, attachment_mode }` block.',
      },
    ],
    [
      'CSIVolumeSpec.attachment_mode',
      {
        message:
          'A top-level `attachment_mode` is the pre-1.1 form: put it in a `capability { access_mode, attachment_mode }` block.',
      },
    ],
  ]),
  checkValue(ctx, schema, name, expr) {
    if (
      (name === 'capacity_min' || name === 'capacity_max' || name === 'capacity') &&
      (schema.id === 'CSIVolumeSpec' || schema.id === 'HostVolumeSpec')
    ) {
      const s = scalarText(expr);
      const p = s && s.kind === 'string' ? byteSizeProblem(s.text) : undefined;
      if (p) ctx.report(expr.range, DiagnosticSeverity.Error, KindCodes.invalidValue, `${name}: ${p}.`);
    }
  },
};

function valueOf(children: Child[], name: string): string | undefined {
  for (const c of children) {
    if (c.kind === 'value' && c.name === name) {
      const s = scalarText(c.expr);
      return s ? s.text : '<expression>';
    }
  }
  return undefined;
}

/** Schema checks of a volume specification (CSI, or dynamic host volume when `type = "host"`). */
export function checkVolumeFile(file: HclFile, ctx = new KindContext(file)): KindContext {
  const type = volumeTypeOf(file);
  const schema = volumeSpecSchema(type);
  const children = childrenOf(file.body.items);
  new KindChecker(ctx, volumeProfile).checkChildren(children, schema);
  const names = childNames(children);
  const at = firstItemRange(file);
  const need = (what: string, why: string): void =>
    ctx.report(
      at,
      DiagnosticSeverity.Error,
      KindCodes.missingKey,
      `This volume specification has no \`${what}\`: ${why}.`,
    );
  if (!names.has('type')) need('type', 'Nomad dispatches on `type = "csi"` (or "host")');
  if (type === 'csi') {
    if (!names.has('id')) need('id', 'the volume ID in Nomad is required');
    if (!names.has('plugin_id')) need('plugin_id', 'the CSI plugin that manages the volume is required');
    if (!names.has('capability'))
      need('capability', 'at least one `capability { access_mode, attachment_mode }` block is required');
    const snap = valueOf(children, 'snapshot_id');
    const clone = valueOf(children, 'clone_id');
    if (snap && clone) {
      const c = children.find(x => x.kind === 'value' && x.name === 'clone_id');
      if (c && c.kind === 'value')
        ctx.report(
          c.nameRange,
          DiagnosticSeverity.Error,
          KindCodes.invalidValue,
          'Set only one of snapshot_id and clone_id.',
        );
    }
  } else if (!names.has('name')) {
    need('name', 'a host volume is named by `name`');
  }
  return ctx;
}

export const namespaceProfile: KindProfile = {
  what: 'namespace specification',
  strictUnknown: () => false,
};

/** Schema checks of a namespace specification. */
export function checkNamespaceFile(file: HclFile, ctx = new KindContext(file)): KindContext {
  const children = childrenOf(file.body.items);
  new KindChecker(ctx, namespaceProfile).checkChildren(children, namespaceSpecSchema());
  if (!childNames(children).has('name')) {
    const at = firstItemRange(file);
    ctx.report(at, DiagnosticSeverity.Error, KindCodes.missingKey, 'A namespace specification needs a `name`.');
  }
  return ctx;
}
