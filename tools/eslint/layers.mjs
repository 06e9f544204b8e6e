// The folder decides what a file may import. Every folder of src/ belongs to one layer of LAYERS below
// (a folder that is not listed is itself an error: a new folder must say what it is). A file may import
// only from its own layer and from the layers its entry lists; pure layers never import `vscode`, the
// webview layer (a browser page) imports no Node built-in.
//   pure       untrusted, shared, language, nomad, consul: no vscode, testable with node --test alone
//   server     the language server process (vscode-languageserver, no vscode)
//   webview    browser bundles (DOM; no vscode, no node:*)
//   editor     everything that talks to VS Code (may import any layer)
import path from 'node:path';
import { builtinModules } from 'node:module';

/** folder of src/ -> the folders it may import from ('*': any) and what else it may not import */
export const LAYERS = {
  untrusted: { may: [], pure: true, doc: 'the one gate every cluster string passes to reach the screen' },
  shared: {
    may: ['untrusted'],
    pure: true,
    doc: 'facts and contracts shared by the extension, the server and the webviews',
  },
  language: {
    may: ['untrusted', 'shared'],
    pure: true,
    doc: 'the HCL parser, Nomad schema, checks and editor features',
  },
  nomad: { may: ['untrusted', 'shared'], pure: true, doc: 'the Nomad API client, streams and view models' },
  consul: { may: ['untrusted', 'shared', 'nomad'], pure: true, doc: 'the Consul catalog client' },
  server: { may: ['untrusted', 'shared', 'language'], pure: true, doc: 'the language server process' },
  webview: { may: ['untrusted', 'shared', 'nomad'], pure: true, browser: true, doc: 'the webview pages (browser)' },
  '(root)': { may: '*', doc: 'extension.ts (composition root), config.ts, logger.ts' },
  client: { may: '*', doc: 'the language client and its editor features' },
  cluster: { may: '*', doc: 'the connection to a cluster' },
  commands: { may: '*', doc: 'the command table' },
  events: { may: '*', doc: 'the event stream view' },
  exec: { may: '*', doc: 'a shell in a task' },
  history: { may: '*', doc: 'job versions' },
  logs: { may: '*', doc: 'Follow Logs' },
  nodes: { may: '*', doc: 'the Nodes view' },
  plan: { may: '*', doc: 'Plan and Run' },
  variables: { may: '*', doc: 'Variables view and file system' },
  views: { may: '*', doc: 'Jobs and Services views' },
};

const BUILTINS = new Set([...builtinModules, ...builtinModules.map(m => `node:${m}`)]);

function layerOf(srcRoot, file) {
  const rel = path.relative(srcRoot, file);
  if (rel.startsWith('..')) return undefined;
  const parts = rel.split(path.sep);
  // `../language` names the folder (its index.ts); `./config` names a file of src/ itself
  return parts.length === 1 && !(parts[0] in LAYERS && !/\.[cm]?[jt]s$/.test(parts[0])) ? '(root)' : parts[0];
}

const rule = {
  meta: {
    type: 'problem',
    schema: [],
    messages: {
      unknown: 'src/{{folder}}/ is not in the layer table (tools/eslint/layers.mjs): say which layer it is',
      vscode: "src/{{layer}}/ is a pure layer: no 'vscode' import",
      builtin: "src/{{layer}}/ runs in a browser: no Node built-in ('{{spec}}')",
      cross: 'src/{{layer}}/ may not import src/{{target}}/ (it may import: {{may}})',
    },
  },
  create(context) {
    const file = context.filename ?? context.getFilename();
    const srcRoot = path.join(context.cwd ?? process.cwd(), 'src');
    const layer = layerOf(srcRoot, file);
    if (layer === undefined) return {};
    const entry = LAYERS[layer];
    function check(node, spec) {
      if (typeof spec !== 'string') return;
      if (!entry) return;
      if (spec === 'vscode' && entry.pure) return context.report({ node, messageId: 'vscode', data: { layer } });
      if (entry.browser && BUILTINS.has(spec))
        return context.report({ node, messageId: 'builtin', data: { layer, spec } });
      if (!spec.startsWith('.') || entry.may === '*') return;
      const target = layerOf(srcRoot, path.resolve(path.dirname(file), spec));
      if (target === undefined || target === layer || entry.may.includes(target)) return;
      // package.json (the server reads its own version) is outside src/
      context.report({ node, messageId: 'cross', data: { layer, target, may: entry.may.join(', ') || 'nothing' } });
    }
    return {
      Program(node) {
        if (!entry) context.report({ node, messageId: 'unknown', data: { folder: layer } });
      },
      ImportDeclaration(node) {
        check(node, node.source.value);
      },
      ExportNamedDeclaration(node) {
        if (node.source) check(node, node.source.value);
      },
      ExportAllDeclaration(node) {
        check(node, node.source.value);
      },
      ImportExpression(node) {
        if (node.source.type === 'Literal') check(node, node.source.value);
      },
      CallExpression(node) {
        if (
          node.callee.type === 'Identifier' &&
          node.callee.name === 'require' &&
          node.arguments[0]?.type === 'Literal'
        )
          check(node, node.arguments[0].value);
      },
    };
  },
};

export default { rules: { imports: rule } };
