// Tree traversal: children in source order, a visitor, and the node path at a position.
import type { HclFile, Node, Position } from './ast';
import { offsetAt } from './positions';

// Indexed loops on purpose: these run for every node of every check, and for-of over the tree's arrays
// left iterator garbage behind in optimized code.
function each(list: readonly Node[], cb: (n: Node) => void): void {
  for (let i = 0; i < list.length; i++) cb(list[i]!);
}

/** Calls `cb` for each direct child of `node`, in source order. */
export function forEachChild(node: Node, cb: (child: Node) => void): void {
  switch (node.kind) {
    case 'File':
      cb(node.body);
      return;
    case 'Body':
      each(node.items, cb);
      return;
    case 'Attribute':
      cb(node.expr);
      return;
    case 'Block':
      each(node.labels, cb);
      cb(node.body);
      return;
    case 'Template':
    case 'Heredoc':
      each(node.parts, cb);
      return;
    case 'TemplateInterpolation':
      cb(node.expr);
      return;
    case 'TemplateIf':
      cb(node.cond);
      each(node.then, cb);
      if (node.else) each(node.else, cb);
      return;
    case 'TemplateFor':
      cb(node.collection);
      each(node.body, cb);
      return;
    case 'Tuple':
      each(node.items, cb);
      return;
    case 'Object':
      each(node.items, cb);
      return;
    case 'ObjectItem':
      cb(node.key);
      cb(node.value);
      return;
    case 'FunctionCall':
      each(node.args, cb);
      return;
    case 'ScopeTraversal':
      each(node.steps, cb);
      return;
    case 'TraverseIndex':
      cb(node.key);
      return;
    case 'Index':
      cb(node.collection);
      cb(node.key);
      return;
    case 'GetAttr':
      cb(node.source);
      return;
    case 'Splat':
      cb(node.source);
      return;
    case 'For':
      cb(node.collection);
      if (node.keyExpr) cb(node.keyExpr);
      cb(node.valueExpr);
      if (node.cond) cb(node.cond);
      return;
    case 'Conditional':
      cb(node.cond);
      cb(node.trueExpr);
      cb(node.falseExpr);
      return;
    case 'Binary':
      cb(node.left);
      cb(node.right);
      return;
    case 'Unary':
      cb(node.operand);
      return;
    case 'Parens':
      cb(node.expr);
      return;
    default:
      return; // leaves: Literal, TemplateLiteral, BlockLabel, TraverseAttr, TraverseSplat, Invalid
  }
}

export interface Visitor {
  /** return false to skip the children of `node` */
  enter?(node: Node, parent: Node | undefined): unknown;
  leave?(node: Node, parent: Node | undefined): void;
}

/** Depth-first walk over `node` and its descendants. */
export function walk(node: Node, visitor: Visitor, parent?: Node): void {
  if (visitor.enter && visitor.enter(node, parent) === false) {
    visitor.leave?.(node, parent);
    return;
  }
  forEachChild(node, c => walk(c, visitor, node));
  visitor.leave?.(node, parent);
}

/**
 * The path from the file down to the innermost node whose range contains `at` (an offset or an LSP
 * position); ranges are inclusive of their end so that a cursor right after `var.` or `"abc` finds
 * the node just typed. `path[0]` is the file, the last element is the innermost node.
 */
export function nodeAt(file: HclFile, at: number | Position): Node[] {
  const offset = typeof at === 'number' ? at : offsetAt(file, at);
  const path: Node[] = [file];
  let cur: Node = file.body;
  for (;;) {
    path.push(cur);
    let found: Node | undefined;
    forEachChild(cur, c => {
      if (found === undefined && 'range' in c && c.range.start <= offset && offset <= c.range.end) found = c;
    });
    if (found === undefined) return path;
    cur = found;
  }
}
