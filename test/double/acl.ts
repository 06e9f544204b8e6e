// The Nomad double's ACL system beyond the management token: policies (HCL rules, as `nomad acl policy
// apply` sends them), client tokens that carry them, and the checks Nomad 1.6.5 makes with them.
// Test-only code.
//
// Facts (Nomad 1.6.5, acl/policy.go, acl/acl.go, nomad/variables_endpoint.go, command/agent/http.go;
// answers captured from a 1.6.5 dev agent with `acl { enabled = true }`, see test/contract/variablesAcl.test.ts):
//   POST /v1/acl/policy/:name  {Name, Description, Rules}  → 200, empty body, X-Nomad-Index
//   GET  /v1/acl/policy/:name                               → {Name, Description, Rules, RulesJSON, Hash, …}
//   POST /v1/acl/token         {Name, Type: "client", Policies: [...]}  → the token with its SecretID
//   GET  /v1/acl/token/self                                 → the token of the request
//   a policy with an unknown capability → 400 "policy 0 invalid: 1 error occurred: … failed to parse rules: …";
//   a token naming a policy that does not exist is created all the same
//   Variables: a path rule `path "app/*" { capabilities = [...] }` in a `namespace "<ns>" { variables {…} }`
//   block. An exact path rule wins over globs; among globs the closest (fewest characters left to the `*`)
//   wins. "read" implies "list"; "deny" alone replaces the rule's list; rules for the same path in several
//   policies add up. A read, write or delete the token may not do → 403 "Permission denied" (text/plain;
//   the answer names neither the path nor the capability); a list leaves out what the token may not list.
//   A namespace's `policy = "read"` grants no variable capability.
// What the double does NOT do: roles, workload identities, node pools, host volumes, quotas, operator or
// plugin rules. Outside the variables, a client token is checked coarsely: its namespace `policy` (or
// capabilities) for jobs and the rest (GET needs read, anything else write), `node` and `agent` rules for
// /v1/node(s) and /v1/agent.
import type * as http from 'node:http';
import { createHash, randomUUID } from 'node:crypto';
import { parse, staticValue, type Body } from '../../src/language/hcl';

export type VariableCap = 'list' | 'read' | 'write' | 'destroy';

interface NamespaceRule {
  name: string;
  policy: string;
  capabilities: string[];
  variables: Array<{ path: string; capabilities: string[] }>;
}
export interface ParsedPolicy {
  namespaces: NamespaceRule[];
  node?: string;
  agent?: string;
}

interface StoredPolicy {
  Name: string;
  Description: string;
  Rules: string;
  CreateIndex: number;
  ModifyIndex: number;
  parsed: ParsedPolicy;
}
interface StoredToken {
  AccessorID: string;
  SecretID: string;
  Name: string;
  Type: 'client' | 'management';
  Policies: string[];
  CreateTime: string;
  CreateIndex: number;
  ModifyIndex: number;
}

/** Who a request is: the management token, or a client token with its policies. */
export type Identity = { management: true } | { management: false; token: StoredToken; policies: ParsedPolicy[] };

export interface AclHost {
  write(): number;
  current(): number;
  json(res: http.ServerResponse, body: unknown, index?: number): void;
  body(req: http.IncomingMessage): Promise<any>;
  error(status: number, message: string): Error;
}

const NS_READ = [
  'list-jobs',
  'parse-job',
  'read-job',
  'csi-list-volume',
  'csi-read-volume',
  'read-job-scaling',
  'list-scaling-policies',
  'read-scaling-policy',
];
const NS_WRITE = [
  ...NS_READ,
  'scale-job',
  'submit-job',
  'dispatch-job',
  'read-logs',
  'read-fs',
  'alloc-exec',
  'alloc-lifecycle',
  'csi-mount-volume',
  'csi-write-volume',
  'submit-recommendation',
];
const VAR_CAPS = new Set(['list', 'read', 'write', 'destroy', 'deny']);

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function attrs(body: Body): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const it of body.items) if (it.kind === 'Attribute') out[it.name] = staticValue(it.expr);
  return out;
}

/** HCL rules → the parts the double checks; an error worded as Nomad words it. */
export function parsePolicy(rules: string): ParsedPolicy | { error: string } {
  const file = parse(rules);
  const err = file.errors.find(e => e.severity === 'error');
  if (err) return { error: `Failed to parse ACL Policy: ${err.message}` };
  const out: ParsedPolicy = { namespaces: [] };
  for (const b of file.body.items) {
    if (b.kind !== 'Block') continue;
    const a = attrs(b.body);
    if (b.type === 'node' || b.type === 'agent') {
      out[b.type] = typeof a['policy'] === 'string' ? a['policy'] : undefined;
      continue;
    }
    if (b.type !== 'namespace') continue;
    const ns: NamespaceRule = {
      name: b.labels[0]?.value ?? '',
      policy: typeof a['policy'] === 'string' ? a['policy'] : '',
      capabilities: strings(a['capabilities']),
      variables: [],
    };
    for (const v of b.body.items) {
      if (v.kind !== 'Block' || v.type !== 'variables') continue;
      for (const p of v.body.items) {
        if (p.kind !== 'Block' || p.type !== 'path') continue;
        const spec = p.labels[0]?.value ?? '';
        if (!spec) return { error: `Invalid missing variable path in namespace ${ns.name}` };
        let caps = strings(attrs(p.body)['capabilities']);
        const bad = caps.find(c => !VAR_CAPS.has(c));
        if (bad) return { error: `Invalid variable capability '${bad}' in namespace ${ns.name}` };
        // "deny" replaces the list; "read" brings "list"
        if (caps.includes('deny')) caps = ['deny'];
        else if (caps.includes('read') && !caps.includes('list')) caps = [...caps, 'list'];
        ns.variables.push({ path: spec, capabilities: caps });
      }
      if (!ns.variables.length) return { error: `Invalid variable policy: no variable paths in namespace ${ns.name}` };
    }
    if (ns.policy === 'read') ns.capabilities.push(...NS_READ);
    else if (ns.policy === 'write') ns.capabilities.push(...NS_WRITE);
    else if (ns.policy === 'deny') ns.capabilities = ['deny'];
    out.namespaces.push(ns);
  }
  if (!out.namespaces.length && !out.node && !out.agent) return { error: `Invalid policy: ${rules}` };
  return out;
}

/** go-glob: `*` stands for any run of characters, "/" included. */
export function globMatch(pattern: string, s: string): boolean {
  if (!pattern.includes('*')) return pattern === s;
  const parts = pattern.split('*');
  const first = parts[0]!,
    last = parts[parts.length - 1]!;
  if (!s.startsWith(first) || !s.endsWith(last) || s.length < first.length + last.length) return false;
  let at = first.length;
  const end = s.length - last.length;
  for (const mid of parts.slice(1, -1)) {
    const i = s.indexOf(mid, at);
    if (i < 0 || i + mid.length > end) return false;
    at = i + mid.length;
  }
  return true;
}

/** The capability set Nomad picks for ns+path: the exact rule, else the closest glob; undefined when none. */
function variableCaps(policies: ParsedPolicy[], ns: string, path: string): Set<string> | undefined {
  const exact = new Map<string, Set<string>>(),
    globs = new Map<string, Set<string>>();
  for (const p of policies)
    for (const n of p.namespaces)
      for (const v of n.variables) {
        const k = `${n.name}\u0000${v.path}`;
        const into = k.includes('*') ? globs : exact;
        const set = into.get(k) ?? new Set<string>();
        for (const c of v.capabilities) set.add(c);
        into.set(k, set);
      }
  const want = `${ns}\u0000${path}`;
  if (exact.has(want)) return exact.get(want);
  let best: { diff: number; caps: Set<string> } | undefined;
  for (const [k, caps] of globs) {
    if (!globMatch(k, want)) continue;
    const diff = want.length - k.length + (k.split('*').length - 1);
    if (!best || diff < best.diff) best = { diff, caps };
  }
  return best?.caps;
}

export class AclDouble {
  private readonly policies = new Map<string, StoredPolicy>();
  private readonly tokens = new Map<string, StoredToken>();

  /** `management`: the SecretID of the management token (bootstrap), read at each request. */
  constructor(private readonly management: () => string | undefined) {}

  /** The identity behind a SecretID; undefined when the cluster does not know it. */
  resolve(secret: string | undefined): Identity | undefined {
    if (!secret) return undefined;
    if (secret === this.management()) return { management: true };
    const t = this.tokens.get(secret);
    if (!t) return undefined;
    if (t.Type === 'management') return { management: true };
    return {
      management: false,
      token: t,
      policies: t.Policies.map(n => this.policies.get(n)?.parsed).filter((p): p is ParsedPolicy => !!p),
    };
  }

  /** Nomad's AllowVariableOperation. */
  allowVariable(id: Identity, ns: string, path: string, cap: VariableCap): boolean {
    if (id.management) return true;
    return variableCaps(id.policies, ns, path)?.has(cap) ?? false;
  }

  private namespaceCaps(id: Extract<Identity, { management: false }>, ns: string): Set<string> {
    const out = new Set<string>();
    for (const p of id.policies)
      for (const n of p.namespaces) {
        if (!globMatch(n.name, ns)) continue;
        for (const c of n.capabilities) out.add(c);
      }
    if (out.has('deny')) return new Set(['deny']);
    return out;
  }

  /** Namespaces the token sees in /v1/namespaces: those where its rules give it any namespace capability. */
  namespaceVisible(id: Identity, ns: string): boolean {
    if (id.management) return true;
    const caps = this.namespaceCaps(id, ns);
    return caps.size > 0 && !caps.has('deny');
  }

  /** The coarse check for everything outside the variables and the ACL endpoints (see the header). */
  allowRequest(id: Identity, method: string, p: string, ns: string): boolean {
    if (id.management) return true;
    const write = method !== 'GET' && method !== 'HEAD';
    const level = (rule: string | undefined) => rule === 'write' || (!write && rule === 'read');
    if (/^\/v1\/nodes?(\/|$)/.test(p)) return id.policies.some(x => level(x.node));
    if (p.startsWith('/v1/agent/')) return id.policies.some(x => level(x.agent));
    if (p === '/v1/namespaces') return true;
    const caps = this.namespaceCaps(id, ns === '*' ? 'default' : ns);
    return caps.has(write ? 'submit-job' : 'read-job') || (!write && caps.has('list-jobs'));
  }

  /** /v1/acl/policy…, /v1/acl/token…; false for other paths. The caller checked the management token,
   *  except for /v1/acl/token/self (any known token). */
  async handle(
    host: AclHost,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    p: string,
    method: string,
    id: Identity,
  ): Promise<boolean> {
    let m: RegExpExecArray | null;
    if (p === '/v1/acl/token/self') {
      if (id.management) {
        host.json(
          res,
          {
            AccessorID: '',
            SecretID: this.management(),
            Name: 'Bootstrap Token',
            Type: 'management',
            Policies: null,
            Roles: null,
            Global: true,
          },
          host.current(),
        );
        return true;
      }
      host.json(res, this.tokenJson(id.token), host.current());
      return true;
    }
    if (!id.management) throw host.error(403, 'Permission denied');
    if (p === '/v1/acl/policies') {
      host.json(
        res,
        [...this.policies.values()].map(x => ({
          Name: x.Name,
          Description: x.Description,
          CreateIndex: x.CreateIndex,
          ModifyIndex: x.ModifyIndex,
        })),
        host.current(),
      );
      return true;
    }
    if ((m = /^\/v1\/acl\/policy\/([^/]+)$/.exec(p))) {
      const name = decodeURIComponent(m[1]!);
      if (method === 'GET') {
        const x = this.policies.get(name);
        if (!x) throw host.error(404, 'ACL policy not found');
        host.json(res, this.policyJson(x), host.current());
        return true;
      }
      if (method === 'DELETE') {
        this.policies.delete(name);
        const i = host.write();
        res.writeHead(200, { 'X-Nomad-Index': String(i) });
        res.end();
        return true;
      }
      if (method !== 'POST' && method !== 'PUT') throw host.error(405, 'Invalid method');
      const b = await host.body(req);
      if (b.Name !== name) throw host.error(400, 'Policy name does not match request path');
      const parsed = parsePolicy(String(b.Rules ?? ''));
      // as Nomad 1.6.5 answers it: 400, a go-multierror text
      if ('error' in parsed)
        throw host.error(400, `policy 0 invalid: 1 error occurred:\n\t* failed to parse rules: ${parsed.error}\n\n`);
      const prev = this.policies.get(name);
      const i = host.write();
      this.policies.set(name, {
        Name: name,
        Description: String(b.Description ?? ''),
        Rules: String(b.Rules ?? ''),
        CreateIndex: prev?.CreateIndex ?? i,
        ModifyIndex: i,
        parsed,
      });
      // Nomad answers an applied policy with an empty 200
      res.writeHead(200, { 'X-Nomad-Index': String(i) });
      res.end();
      return true;
    }
    if (p === '/v1/acl/token' && (method === 'POST' || method === 'PUT')) {
      const b = await host.body(req);
      const type = b.Type === 'management' ? 'management' : 'client';
      const policies = strings(b.Policies);
      if (type === 'client' && !policies.length) throw host.error(500, 'client token missing policies or roles');
      // Nomad 1.6.5 accepts a policy name it does not know (the token just gets nothing from it)
      const i = host.write();
      const t: StoredToken = {
        AccessorID: randomUUID(),
        SecretID: randomUUID(),
        Name: String(b.Name ?? ''),
        Type: type,
        Policies: policies,
        CreateTime: new Date().toISOString(),
        CreateIndex: i,
        ModifyIndex: i,
      };
      this.tokens.set(t.SecretID, t);
      host.json(res, this.tokenJson(t), i);
      return true;
    }
    return false;
  }

  private tokenJson(t: StoredToken) {
    const hash = createHash('sha256').update(t.SecretID).digest('base64');
    return {
      ExpirationTTL: '',
      AccessorID: t.AccessorID,
      SecretID: t.SecretID,
      Name: t.Name,
      Type: t.Type,
      Policies: t.Type === 'management' ? null : t.Policies,
      Roles: null,
      Global: false,
      Hash: hash,
      CreateTime: t.CreateTime,
      ExpirationTime: null,
      CreateIndex: t.CreateIndex,
      ModifyIndex: t.ModifyIndex,
    };
  }

  private policyJson(x: StoredPolicy) {
    return {
      CreateIndex: x.CreateIndex,
      Description: x.Description,
      Hash: createHash('sha256').update(x.Rules).digest('base64'),
      JobACL: null,
      ModifyIndex: x.ModifyIndex,
      Name: x.Name,
      Rules: x.Rules,
    };
  }
}
