// Compact classes for the nodes the native-syntax parser makes most (a large job file has ~10^5 of
// them). They implement the plain interfaces of ./ast.ts, but keep their offsets as numbers and make a
// `Range` object only when one is read. A 1 MiB job used to hold ~145,000 range objects, more than half
// of its tree: the tree is what survives a parse, so every young-generation collection during a parse
// had to copy all of them. Ranges made on demand die young and cost the collector nothing.
//
// Readers see no difference: `node.range.start`, `'range' in node` and destructuring work as before.
// Only the parser writes, and it writes the numbers (`start`, `end`, …), never through a Range.
import type {
  Attribute,
  Block,
  BlockLabel,
  Body,
  BodyItem,
  Expression,
  Literal,
  Range,
  Template,
  TemplateLiteral,
  TemplatePart,
} from './ast';

/** half-open span `[start, end)`; a range made fresh on each read */
function span(start: number, end: number): Range {
  return { start, end };
}

export class BodyNode implements Body {
  readonly kind = 'Body';
  constructor(
    public items: BodyItem[],
    public start: number,
    public end: number,
  ) {}
  get range(): Range {
    return span(this.start, this.end);
  }
}

export class AttributeNode implements Attribute {
  readonly kind = 'Attribute';
  constructor(
    public name: string,
    public nameStart: number,
    public nameEnd: number,
    /** offset of the `=`; -1 when it is missing */
    public equalsAt: number,
    public expr: Expression,
    public start: number,
    public end: number,
  ) {}

  get nameRange(): Range {
    return span(this.nameStart, this.nameEnd);
  }
  get equals(): Range | undefined {
    return this.equalsAt < 0 ? undefined : span(this.equalsAt, this.equalsAt + 1);
  }
  get range(): Range {
    return span(this.start, this.end);
  }
}

export class BlockNode implements Block {
  readonly kind = 'Block';
  /** offset of `{`; -1 when the block is not opened */
  openAt = -1;
  /** offset of `}`; -1 when the block is not closed */
  closeAt = -1;
  constructor(
    public type: string,
    public typeStart: number,
    public typeEnd: number,
    public labels: BlockLabel[],
    public body: BodyNode,
    public start: number,
    public end: number,
  ) {}

  get typeRange(): Range {
    return span(this.typeStart, this.typeEnd);
  }
  get openBrace(): Range | undefined {
    return this.openAt < 0 ? undefined : span(this.openAt, this.openAt + 1);
  }
  get closeBrace(): Range | undefined {
    return this.closeAt < 0 ? undefined : span(this.closeAt, this.closeAt + 1);
  }
  get range(): Range {
    return span(this.start, this.end);
  }
}

export class BlockLabelNode implements BlockLabel {
  readonly kind = 'BlockLabel';
  constructor(
    public value: string,
    public quoted: boolean,
    public start: number,
    public end: number,
  ) {}
  get range(): Range {
    return span(this.start, this.end);
  }
}

export class LiteralNode implements Literal {
  readonly kind = 'Literal';
  constructor(
    public value: string | number | boolean | null,
    public start: number,
    public end: number,
  ) {}
  get range(): Range {
    return span(this.start, this.end);
  }
}

export class TemplateLiteralNode implements TemplateLiteral {
  readonly kind = 'TemplateLiteral';
  constructor(
    public value: string,
    public start: number,
    public end: number,
  ) {}
  get range(): Range {
    return span(this.start, this.end);
  }
}

/** The one empty array of the tree (frozen: nothing may add to it). */
export const EMPTY: readonly never[] = Object.freeze([]);

/**
 * A quoted template. Most are plain strings (`"10s"`, `"docker"`): those are made with `parts` null and
 * make their one literal part on first read (few readers ever look: checks and the decoder use
 * `literal`), which saves two objects per string in the tree that survives the parse.
 */
export class TemplateNode implements Template {
  readonly kind = 'Template';
  private own: TemplatePart[] | null;
  constructor(
    parts: TemplatePart[] | null,
    public literal: string | undefined,
    public start: number,
    public end: number,
  ) {
    this.own = parts;
  }

  get parts(): TemplatePart[] {
    let p = this.own;
    if (p === null) {
      // only plain strings are made without parts: the literal is the text between the quotes
      p =
        this.end - this.start > 2
          ? [new TemplateLiteralNode(this.literal ?? '', this.start + 1, this.end - 1)]
          : (EMPTY as unknown as TemplatePart[]);
      this.own = p;
    }
    return p;
  }

  get range(): Range {
    return span(this.start, this.end);
  }
}
