// ESLint plugin `untrusted`, rule `shown-only`: every text that reaches a surface of the editor is one of
// the branded types of src/untrusted/shown.ts (or a string literal of ours), checked with the TypeScript
// type checker, not by scanning text. It refuses, with anything else:
//   - window.showInformationMessage / showWarningMessage / showErrorMessage: the message, string buttons,
//     MessageItem titles and the modal's detail (Shown);
//   - quick picks: QuickPickItem label / description / detail, in object literals typed as one and in the
//     element type of showQuickPick's items and QuickPick.items; QuickPick/InputBox title, placeholder,
//     prompt and the options objects of showQuickPick / showInputBox (Shown);
//   - tree items: new TreeItem(label), TreeItemLabel.label, .label / .description / .tooltip (Shown);
//   - status bar items: .text / .tooltip / .name, window.setStatusBarMessage; withProgress titles and
//     progress.report messages; terminal names; webview panel titles (Shown);
//   - FileSystemError messages, which the editor shows in its own error toast (Shown);
//   - new MarkdownString(value), .appendMarkdown(value), and an LSP MarkupContent { kind: 'markdown',
//     value } (hovers, completion documentation) and an LSP Hover's string contents (SafeMarkdown); .appendCodeblock (its fence can be left:
//     use appendMarkdown(codeBlock(…))); isTrusted / supportHtml / supportThemeIcons set to anything but false;
//   - output channels: append / appendLine / replace and a LogOutputChannel's trace…error (Visible);
//   - a type assertion to a branded type (`x as Shown`) outside src/untrusted/.
// A string literal type (`'Open a Nomad file first.'`, `cond ? 'a' : 'b'`) is our own compile-time text
// and passes; `string`, `any`, template literals with values and concatenations do not.
import ts from 'typescript';

const LEVELS = {
  shown: { brands: ['shownBrand'], type: 'Shown', how: 'plain`…`, plainText() or joinShown()' },
  visible: { brands: ['visibleBrand', 'shownBrand'], type: 'Visible', how: 'visible(), visibleLines() or plain`…`' },
  markdown: {
    brands: ['markdownBrand'],
    type: 'SafeMarkdown',
    how: 'md`…`, markdownText(), codeBlock() or codeSpan()',
  },
};

/** Properties of vscode (and LSP) types that are shown, by the interface or class that declares them. */
const PROPS = {
  QuickPickItem: { label: 'shown', description: 'shown', detail: 'shown' },
  QuickPickOptions: { title: 'shown', placeHolder: 'shown', prompt: 'shown' },
  InputBoxOptions: { title: 'shown', prompt: 'shown', placeHolder: 'shown' },
  QuickInput: { title: 'shown' },
  QuickPick: { title: 'shown', placeholder: 'shown', prompt: 'shown' },
  InputBox: { title: 'shown', placeholder: 'shown', prompt: 'shown', validationMessage: 'shown' },
  MessageOptions: { detail: 'shown' },
  MessageItem: { title: 'shown' },
  TreeItem: { label: 'shown', description: 'shown', tooltip: 'shown' },
  TreeItemLabel: { label: 'shown' },
  StatusBarItem: { text: 'shown', tooltip: 'shown', name: 'shown' },
  TreeView: { message: 'shown', title: 'shown', description: 'shown' },
  TerminalOptions: { name: 'shown' },
  ProgressOptions: { title: 'shown' },
  ProgressReport: { message: 'shown' },
  WebviewPanel: { title: 'shown' },
  ExtensionTerminalOptions: { name: 'shown' },
};
const MESSAGE_CALLS = new Set(['showInformationMessage', 'showWarningMessage', 'showErrorMessage']);
const CHANNEL_CALLS = {
  OutputChannel: ['append', 'appendLine', 'replace'],
  LogOutputChannel: ['trace', 'debug', 'info', 'warn', 'error'],
};
const MARKDOWN_FLAGS = new Set(['isTrusted', 'supportHtml', 'supportThemeIcons']);

const isVscodeFile = f => /[\\/]@types[\\/]vscode[\\/]/.test(f) || /[\\/]vscode\.d\.ts$/.test(f);
const isGateFile = f => /[\\/]src[\\/]untrusted[\\/]/.test(f);

function resolve(checker, sym) {
  if (sym && sym.flags & ts.SymbolFlags.Alias) {
    try {
      return checker.getAliasedSymbol(sym);
    } catch {
      return sym;
    }
  }
  return sym;
}
/** The name of the vscode interface/class that declares `sym`, when it is declared in vscode's API. */
function vscodeOwner(sym) {
  const d = sym?.declarations?.[0];
  if (!d || !isVscodeFile(d.getSourceFile().fileName)) return undefined;
  const p = d.parent;
  if (p && (ts.isInterfaceDeclaration(p) || ts.isClassDeclaration(p)) && p.name) return p.name.text;
  if (p && ts.isModuleBlock(p)) return p.parent.name.text; // `namespace window { function … }`
  // withProgress's `progress.report({ message, increment })`: an anonymous type of vscode's
  if (
    p &&
    ts.isTypeLiteralNode(p) &&
    p.members.some(m => m.name && ts.isIdentifier(m.name) && m.name.text === 'increment')
  )
    return 'ProgressReport';
  return undefined;
}

export const shownOnly = {
  meta: {
    type: 'problem',
    docs: { description: 'Text shown by the editor must be Shown / Visible / SafeMarkdown (src/untrusted/shown.ts)' },
    schema: [],
    messages: {
      notShown: 'Untrusted text on a surface: {{what}} takes {{type}} (from {{how}}), got `{{got}}`.',
      codeblock: 'appendCodeblock() builds a fence its content can leave: use appendMarkdown(codeBlock(text, lang)).',
      flag: 'A MarkdownString is never trusted, never renders HTML and never renders $(icons) from text: {{name}} must stay false.',
      cast: 'Only src/untrusted/ makes {{type}}; a cast here would skip the escaping. Use {{how}}.',
    },
  },
  create(context) {
    const services = context.sourceCode.parserServices;
    if (!services?.program) throw new Error('untrusted/shown-only needs type information (parserOptions.project)');
    const checker = services.program.getTypeChecker();
    const inGate = isGateFile(context.filename);
    const tsOf = n => services.esTreeNodeToTSNodeMap.get(n);
    const typeOf = n => checker.getTypeAtLocation(tsOf(n));
    const symOf = n => resolve(checker, checker.getSymbolAtLocation(tsOf(n)));

    function hasBrand(t, names) {
      return t.getProperties().some(p => {
        const n = String(p.escapedName);
        const d = p.declarations?.[0];
        return names.some(b => n.includes(b)) && d && isGateFile(d.getSourceFile().fileName);
      });
    }
    /** Whether a value of type `t` may be shown at `level`. */
    function accepted(t, level, depth = 0) {
      if (depth > 8) return false;
      if (t.isUnion()) return t.types.every(x => accepted(x, level, depth + 1));
      const f = t.flags;
      if (f & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void | ts.TypeFlags.Never)) return true;
      if (f & ts.TypeFlags.Any || f & ts.TypeFlags.Unknown) return false;
      if (f & ts.TypeFlags.StringLiteral) return true;
      if (f & ts.TypeFlags.TypeParameter) {
        const c = checker.getBaseConstraintOfType(t);
        return c ? accepted(c, level, depth + 1) : false;
      }
      if (hasBrand(t, LEVELS[level].brands)) return true;
      if (f & (ts.TypeFlags.String | ts.TypeFlags.TemplateLiteral | ts.TypeFlags.StringMapping)) return false;
      if (t.isIntersection()) return !t.types.some(x => x.flags & ts.TypeFlags.StringLike);
      return true; // not a string: a MarkdownString, a Uri, an options object… (its own parts are checked where they are made)
    }
    function check(node, t, level, what) {
      if (inGate || accepted(t, level)) return;
      const L = LEVELS[level];
      context.report({
        node,
        messageId: 'notShown',
        data: { what, type: L.type, how: L.how, got: checker.typeToString(t).slice(0, 80) },
      });
    }
    const checkExpr = (node, level, what) => check(node, typeOf(node), level, what);

    /** The element type of an array, a readonly array or a Thenable of one. */
    function elementTypes(t) {
      const out = [];
      const visit = (x, depth) => {
        if (depth > 4) return;
        if (x.isUnion()) {
          x.types.forEach(y => visit(y, depth + 1));
          return;
        }
        if (checker.isArrayType(x) || checker.isTupleType(x)) {
          const e = x.getNumberIndexType();
          if (e) out.push(e);
          return;
        }
        const awaited = checker.getAwaitedType(x);
        if (awaited && awaited !== x) visit(awaited, depth + 1);
      };
      visit(t, 0);
      return out;
    }
    function checkItems(node, t, owner, what) {
      for (const e of elementTypes(t)) {
        for (const [prop, level] of Object.entries(PROPS[owner])) {
          const parts = e.isUnion() ? e.types : [e];
          for (const part of parts) {
            const p = part.getProperty(prop);
            // declared by vscode's own QuickPickItem (an item typed as one): its object literals are
            // checked where they are written (contextually typed), so the declared `string` says nothing
            if (p && vscodeOwner(p)) continue;
            if (p) check(node, checker.getTypeOfSymbolAtLocation(p, tsOf(node)), level, `${what} (${owner}.${prop})`);
          }
        }
      }
    }

    return {
      CallExpression(node) {
        // the API called is the one its resolved signature is declared by, whatever the callee is called
        // here (`vscode.window.showErrorMessage`, `const w = vscode.window`, a destructured function)
        const decl = checker.getResolvedSignature(tsOf(node))?.declaration;
        if (!decl || !decl.name || !ts.isIdentifier(decl.name)) return;
        const name = decl.name.text;
        const owner = vscodeOwner(decl.symbol ?? { declarations: [decl] });
        if (!owner) return;
        if (owner === 'window' && MESSAGE_CALLS.has(name)) {
          node.arguments.forEach((a, i) => {
            if (a.type === 'SpreadElement') {
              for (const e of elementTypes(typeOf(a.argument))) check(a, e, 'shown', `${name}'s buttons`);
              return;
            }
            if (a.type === 'ObjectExpression') return; // MessageOptions / MessageItem: checked as object literals
            const t = typeOf(a);
            if (i === 0 || t.flags & ts.TypeFlags.StringLike || t.isUnion())
              check(a, t, 'shown', i === 0 ? `${name}'s message` : `${name}'s button`);
          });
        } else if (owner === 'window' && name === 'showQuickPick' && node.arguments[0]) {
          checkItems(node.arguments[0], typeOf(node.arguments[0]), 'QuickPickItem', 'showQuickPick items');
        } else if (owner === 'window' && name === 'createWebviewPanel' && node.arguments[1]) {
          checkExpr(node.arguments[1], 'shown', 'createWebviewPanel title');
        } else if (
          owner === 'window' &&
          name === 'createTerminal' &&
          node.arguments[0] &&
          node.arguments[0].type !== 'ObjectExpression'
        ) {
          checkExpr(node.arguments[0], 'shown', 'createTerminal name');
        } else if (owner === 'window' && name === 'setStatusBarMessage' && node.arguments[0]) {
          checkExpr(node.arguments[0], 'shown', 'setStatusBarMessage');
        } else if (owner === 'MarkdownString' && name === 'appendMarkdown' && node.arguments[0]) {
          checkExpr(node.arguments[0], 'markdown', 'MarkdownString.appendMarkdown');
        } else if (owner === 'MarkdownString' && name === 'appendCodeblock' && !inGate) {
          context.report({ node, messageId: 'codeblock' });
        } else if (owner === 'FileSystemError' && node.arguments[0]) {
          checkFsError(node.arguments[0]);
        } else if (CHANNEL_CALLS[owner]?.includes(name)) {
          node.arguments.forEach(a => {
            if (typeOf(a).flags & ts.TypeFlags.StringLike || a === node.arguments[0])
              checkExpr(a, 'visible', `${owner}.${name}`);
          });
        }
      },
      NewExpression(node) {
        // the class constructed, by the type of the new object (so an alias of the class is no way round)
        const sym =
          typeOf(node).getSymbol() ??
          symOf(node.callee.type === 'MemberExpression' ? node.callee.property : node.callee);
        const d = sym?.declarations?.[0];
        if (!d || !isVscodeFile(d.getSourceFile().fileName) || !ts.isClassDeclaration(d)) return;
        const cls = d.name?.text;
        const [a0, a1] = node.arguments;
        if (cls === 'TreeItem' && a0 && a0.type !== 'ObjectExpression') {
          const t = typeOf(a0);
          // new TreeItem(resourceUri) takes a Uri: only the label form is text
          if (t.flags & ts.TypeFlags.StringLike || t.isUnion() || t.isIntersection() || t.flags & ts.TypeFlags.Any)
            check(a0, t, 'shown', 'new TreeItem(label)');
        } else if (cls === 'MarkdownString') {
          if (a0) checkExpr(a0, 'markdown', 'new MarkdownString(value)');
          if (a1 && !(a1.type === 'Literal' && a1.value === false) && !inGate)
            context.report({ node: a1, messageId: 'flag', data: { name: 'supportThemeIcons' } });
        } else if (cls === 'FileSystemError' && a0) {
          checkFsError(a0);
        }
      },
      AssignmentExpression(node) {
        if (node.left.type !== 'MemberExpression' || node.left.computed) return;
        const prop = node.left.property.name;
        const owner = vscodeOwner(symOf(node.left.property));
        if (!owner) return;
        if (owner === 'MarkdownString' && MARKDOWN_FLAGS.has(prop)) {
          if (!(node.right.type === 'Literal' && node.right.value === false) && !inGate)
            context.report({ node, messageId: 'flag', data: { name: prop } });
          return;
        }
        if (owner === 'MarkdownString' && prop === 'value') {
          checkExpr(node.right, 'markdown', 'MarkdownString.value');
          return;
        }
        if (owner === 'QuickPick' && prop === 'items') {
          checkItems(node.right, typeOf(node.right), 'QuickPickItem', 'QuickPick.items');
          return;
        }
        const level = PROPS[owner]?.[prop];
        if (level) checkExpr(node.right, level, `${owner}.${prop}`);
      },
      Property(node) {
        if (node.parent.type !== 'ObjectExpression' || node.computed || node.kind !== 'init') return;
        const key =
          node.key.type === 'Identifier'
            ? node.key.name
            : node.key.type === 'Literal'
              ? String(node.key.value)
              : undefined;
        if (!key) return;
        const obj = tsOf(node.parent);
        // LSP MarkupContent { kind: 'markdown', value }: a hover, completion or signature documentation
        if (key === 'value') {
          const kind = node.parent.properties.find(
            p => p.type === 'Property' && !p.computed && p.key.type === 'Identifier' && p.key.name === 'kind',
          );
          if (kind) {
            const kt = typeOf(kind.value);
            if (kt.flags & ts.TypeFlags.StringLiteral && kt.value === 'markdown') {
              checkExpr(node.value, 'markdown', 'MarkupContent (markdown) value');
              return;
            }
          }
        }
        const ctx = checker.getContextualType(obj);
        if (!ctx) return;
        // an LSP Hover's `contents` as a string is a MarkedString: Markdown
        if (key === 'contents') {
          const p = (ctx.isUnion() ? ctx.types : [ctx]).map(x => x.getProperty('contents')).find(Boolean);
          const d = p?.declarations?.[0];
          if (
            d &&
            /[\\/]vscode-languageserver-types[\\/]/.test(d.getSourceFile().fileName) &&
            ts.isInterfaceDeclaration(d.parent) &&
            d.parent.name.text === 'Hover'
          ) {
            const t = typeOf(node.value);
            if (t.flags & ts.TypeFlags.StringLike || t.isUnion())
              checkExpr(node.value, 'markdown', 'Hover.contents (a MarkedString)');
            return;
          }
        }
        for (const part of ctx.isUnion() ? ctx.types : [ctx]) {
          const p = part.getProperty(key);
          const owner = p && vscodeOwner(p);
          const level = owner && PROPS[owner]?.[key];
          if (level) {
            checkExpr(node.value, level, `${owner}.${key}`);
            return;
          }
        }
      },
      TSAsExpression(node) {
        checkCast(node);
      },
      TSTypeAssertion(node) {
        checkCast(node);
      },
    };

    function checkFsError(arg) {
      const t = typeOf(arg);
      // FileSystemError.FileNotFound(uri) takes a Uri too: only its message form is text
      if (t.flags & ts.TypeFlags.StringLike || t.isUnion() || t.isIntersection() || t.flags & ts.TypeFlags.Any)
        check(arg, t, 'shown', "FileSystemError (shown in the editor's error toast)");
    }
    function checkCast(node) {
      if (inGate) return;
      const t = checker.getTypeFromTypeNode(tsOf(node.typeAnnotation));
      const parts = t.isUnion() ? t.types : [t];
      for (const [level, L] of Object.entries(LEVELS)) {
        if (parts.some(x => hasBrand(x, L.brands))) {
          context.report({ node, messageId: 'cast', data: { type: L.type, how: L.how } });
          return;
        }
        void level;
      }
    }
  },
};

export default { meta: { name: 'untrusted' }, rules: { 'shown-only': shownOnly } };
