// Syntax tree of an HCL2 file (native or JSON syntax). See ./index.ts for the overview.
//
// Ranges are half-open string offsets `[start, end)` into the parsed text (JS string indices, i.e.
// UTF-16 code units, so they are the LSP `character` unit too). LSP positions are derived on demand
// from `HclFile.lineStarts` (see ./positions.ts): storing them on each of the ~10^5 nodes of a large
// file would double the allocation work for values most consumers never read.

export interface Range {
  start: number;
  end: number;
}

export interface Position {
  /** zero-based line */
  line: number;
  /** zero-based UTF-16 code unit offset in the line */
  character: number;
}

export interface LspRange {
  start: Position;
  end: Position;
}

export interface Comment {
  kind: 'Comment';
  /** `#`, `//` or `/*` */
  style: '#' | '//' | '/*';
  /** the full comment text, including its markers (a line comment excludes the line break) */
  text: string;
  range: Range;
}

export type Severity = 'error' | 'warning';

export interface ParseError {
  /** stable identifier, e.g. `missing-close-brace`; see ErrorCode */
  code: ErrorCode;
  message: string;
  range: Range;
  severity: Severity;
}

export type ErrorCode =
  | 'invalid-character'
  | 'unexpected-token'
  | 'expected-expression'
  | 'expected-equals'
  | 'missing-newline'
  | 'missing-close-brace'
  | 'unclosed-bracket'
  | 'unclosed-paren'
  | 'unclosed-brace'
  | 'unclosed-interpolation'
  | 'unclosed-directive'
  | 'unterminated-string'
  | 'unterminated-heredoc'
  | 'unterminated-comment'
  | 'invalid-escape'
  | 'invalid-label'
  | 'invalid-directive'
  | 'stray-close-brace'
  | 'too-deep'
  | 'single-line-block'
  | 'hcl1-quoted-key'
  | 'hcl1-comma'
  | 'hcl1-same-line'
  | 'json-syntax';

export interface HclFile {
  kind: 'File';
  body: Body;
  comments: Comment[];
  errors: ParseError[];
  syntax: 'hcl' | 'json';
  /** offsets at which each line starts (line 0 starts at 0); line breaks are `\n`, `\r\n` and lone `\r` */
  lineStarts: ArrayLike<number>;
  text: string;
}

export interface Body {
  kind: 'Body';
  items: BodyItem[];
  range: Range;
}

export type BodyItem = Attribute | Block;

export interface Attribute {
  kind: 'Attribute';
  name: string;
  nameRange: Range;
  /** range of the `=` (or `:` in JSON); undefined when it is missing */
  equals: Range | undefined;
  expr: Expression;
  range: Range;
}

export interface BlockLabel {
  kind: 'BlockLabel';
  value: string;
  range: Range;
  quoted: boolean;
}

export interface Block {
  kind: 'Block';
  type: string;
  typeRange: Range;
  labels: BlockLabel[];
  body: Body;
  openBrace: Range | undefined;
  /** undefined when the block is not closed (an error has been reported) */
  closeBrace: Range | undefined;
  range: Range;
}

// ---- expressions ----

export type Expression =
  | Literal
  | Template
  | Heredoc
  | Tuple
  | ObjectCons
  | FunctionCall
  | ScopeTraversal
  | Index
  | GetAttr
  | Splat
  | ForExpr
  | Conditional
  | Binary
  | Unary
  | Parens
  | Invalid;

export interface Literal {
  kind: 'Literal';
  value: string | number | boolean | null;
  range: Range;
}

export interface TemplateLiteral {
  kind: 'TemplateLiteral';
  /** decoded text (escapes resolved, strip markers and `<<-` indentation applied) */
  value: string;
  range: Range;
}

export interface TemplateInterpolation {
  kind: 'TemplateInterpolation';
  expr: Expression;
  /** `${~` */
  stripLeft: boolean;
  /** `~}` */
  stripRight: boolean;
  range: Range;
}

export interface TemplateIf {
  kind: 'TemplateIf';
  cond: Expression;
  then: TemplatePart[];
  else: TemplatePart[] | undefined;
  range: Range;
}

export interface TemplateFor {
  kind: 'TemplateFor';
  keyVar: Identifier | undefined;
  valueVar: Identifier;
  collection: Expression;
  body: TemplatePart[];
  range: Range;
}

export type TemplatePart = TemplateLiteral | TemplateInterpolation | TemplateIf | TemplateFor;

export interface Template {
  kind: 'Template';
  parts: TemplatePart[];
  /** set when the template is one literal string (no interpolation or directive): its value */
  literal: string | undefined;
  range: Range;
}

export interface Heredoc {
  kind: 'Heredoc';
  /** the delimiter word, e.g. `EOT` */
  marker: string;
  /** `<<-` form (indentation stripped) */
  flush: boolean;
  parts: TemplatePart[];
  literal: string | undefined;
  /** range of the content (from the line after `<<EOT` to the start of the closing marker line) */
  contentRange: Range;
  range: Range;
}

export interface Tuple {
  kind: 'Tuple';
  items: Expression[];
  range: Range;
}

export interface ObjectItem {
  kind: 'ObjectItem';
  key: Expression;
  /** static key: a bare identifier, a literal string or a number; undefined for computed keys */
  keyName: string | undefined;
  /** `=` or `:` */
  separator: '=' | ':';
  value: Expression;
  range: Range;
}

export interface ObjectCons {
  kind: 'Object';
  items: ObjectItem[];
  range: Range;
}

export interface FunctionCall {
  kind: 'FunctionCall';
  name: string;
  nameRange: Range;
  args: Expression[];
  /** the last argument ends with `...` */
  expandFinal: boolean;
  range: Range;
}

export interface Identifier {
  name: string;
  range: Range;
}

export interface TraverseAttr {
  kind: 'TraverseAttr';
  name: string;
  range: Range;
}

export interface TraverseIndex {
  kind: 'TraverseIndex';
  /** the key; a Literal for `[0]`, `["k"]` and the legacy `.0` form */
  key: Expression;
  /** true for the legacy `.0` form */
  legacy: boolean;
  range: Range;
}

export interface TraverseSplat {
  kind: 'TraverseSplat';
  /** `.*` (attribute-only splat) rather than `[*]` */
  legacy: boolean;
  range: Range;
}

export type TraverseStep = TraverseAttr | TraverseIndex | TraverseSplat;

/** A variable followed by any chain of `.attr`, `[expr]`, `[*]`, `.*`: `var.x`, `a.b[0]`, `a[*].b`. */
export interface ScopeTraversal {
  kind: 'ScopeTraversal';
  root: string;
  rootRange: Range;
  steps: TraverseStep[];
  range: Range;
}

/** `[key]` applied to an expression that is not a variable traversal, e.g. `f(x)[0]`. */
export interface Index {
  kind: 'Index';
  collection: Expression;
  key: Expression;
  range: Range;
}

/** `.name` applied to an expression that is not a variable traversal, e.g. `f(x).id`. */
export interface GetAttr {
  kind: 'GetAttr';
  source: Expression;
  name: string;
  nameRange: Range;
  range: Range;
}

/** `[*]` / `.*` applied to an expression that is not a variable traversal. */
export interface Splat {
  kind: 'Splat';
  source: Expression;
  legacy: boolean;
  range: Range;
}

export interface ForExpr {
  kind: 'For';
  /** `{for ...}` (object result) rather than `[for ...]` */
  isObject: boolean;
  keyVar: Identifier | undefined;
  valueVar: Identifier;
  collection: Expression;
  /** the `k =>` part of an object for; undefined for tuple for */
  keyExpr: Expression | undefined;
  valueExpr: Expression;
  /** trailing `...` (grouping mode, object for only) */
  grouping: boolean;
  cond: Expression | undefined;
  range: Range;
}

export interface Conditional {
  kind: 'Conditional';
  cond: Expression;
  trueExpr: Expression;
  falseExpr: Expression;
  range: Range;
}

export type BinaryOperator = '||' | '&&' | '==' | '!=' | '<' | '>' | '<=' | '>=' | '+' | '-' | '*' | '/' | '%';

export interface Binary {
  kind: 'Binary';
  op: BinaryOperator;
  opRange: Range;
  left: Expression;
  right: Expression;
  range: Range;
}

export interface Unary {
  kind: 'Unary';
  op: '!' | '-';
  operand: Expression;
  range: Range;
}

export interface Parens {
  kind: 'Parens';
  expr: Expression;
  range: Range;
}

/** Placeholder where an expression was expected but could not be parsed (an error was reported). */
export interface Invalid {
  kind: 'Invalid';
  range: Range;
}

export type Node =
  HclFile | Body | Attribute | Block | BlockLabel | Expression | ObjectItem | TemplatePart | TraverseStep;
