// The Nomad double's Variables: /v1/vars and /v1/var/:path with check-and-set, shaped like Nomad 1.6.5
// (see src/nomad/variables.ts for the facts). Test-only code. Values are kept in memory only.
import type * as http from 'node:http';

export interface VarsHost {
  /** a write: bumps and returns the double's index */
  write(): number;
  /** the index of the variables table */
  current(): number;
  namespaces(): string[];
  json(res: http.ServerResponse, body: unknown, index?: number, status?: number): void;
  body(req: http.IncomingMessage): Promise<any>;
  error(status: number, message: string): Error;
  /** a blocking query: waits while ?index= is current */
  block(url: URL): Promise<void>;
  /** ACL mode: may the request's token do this on that path (test/double/acl.ts); absent: yes */
  may?(namespace: string, path: string, capability: 'list' | 'read' | 'write' | 'destroy'): boolean;
}

interface StoredVar {
  Namespace: string;
  Path: string;
  CreateIndex: number;
  ModifyIndex: number;
  CreateTime: number;
  ModifyTime: number;
  Items: Record<string, string>;
}

const PATH_RE = /^[a-zA-Z0-9\-_~/]{1,128}$/;

function pathError(p: string): string | undefined {
  if (!PATH_RE.test(p)) return `invalid path "${p}"`;
  const parts = p.split('/');
  if (parts[0] !== 'nomad') return undefined;
  if (parts.length === 1)
    return '"nomad" is a reserved top-level directory path, but you may write variables to "nomad/jobs", "nomad/job-templates", or below';
  if (parts[1] === 'jobs') return undefined;
  if (parts[1] === 'job-templates')
    return parts.length === 3
      ? undefined
      : '"nomad/job-templates" is a reserved directory path, but you may write variables at the level below it, for example, "nomad/job-templates/template-name"';
  return 'only paths at "nomad/jobs" or "nomad/job-templates" and below are valid paths under the top-level "nomad" directory';
}

const meta = (v: StoredVar) => ({
  Namespace: v.Namespace,
  Path: v.Path,
  CreateIndex: v.CreateIndex,
  ModifyIndex: v.ModifyIndex,
  CreateTime: v.CreateTime,
  ModifyTime: v.ModifyTime,
});
const nowNs = () => Date.now() * 1e6;

export class VarsDouble {
  private readonly vars = new Map<string, StoredVar>(); // ns \0 path

  /** Handles /v1/vars and /v1/var/…; false for other paths. */
  async handle(
    host: VarsHost,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    method: string,
    ns: string,
  ): Promise<boolean> {
    const p = url.pathname;
    if (p === '/v1/vars' || p === '/v1/vars/') {
      if (method !== 'GET') throw host.error(405, 'Invalid method');
      await host.block(url);
      const prefix = url.searchParams.get('prefix') ?? '';
      const list = [...this.vars.values()]
        .filter(v => (ns === '*' || v.Namespace === ns) && v.Path.startsWith(prefix))
        // ACLs: a list leaves out what the token may not list (no 403)
        .filter(v => !host.may || host.may(v.Namespace, v.Path, 'list'))
        .sort((a, b) => (a.Namespace === b.Namespace ? (a.Path < b.Path ? -1 : 1) : a.Namespace < b.Namespace ? -1 : 1))
        .map(meta);
      host.json(res, list, host.current());
      return true;
    }
    if (!p.startsWith('/v1/var/')) return false;
    const path = decodeURIComponent(p.slice('/v1/var/'.length));
    if (!path) throw host.error(400, 'missing variable path');
    const k = `${ns}\u0000${path}`;
    const cur = this.vars.get(k);
    const casParam = url.searchParams.get('cas');
    let cas: number | undefined;
    if (casParam !== null && casParam !== '') {
      cas = Number(casParam);
      if (!Number.isInteger(cas) || cas < 0)
        throw host.error(400, `can not parse cas: strconv.ParseUint: parsing "${casParam}": invalid syntax`);
    }
    // ACLs: Nomad's 403 names neither the path nor the capability
    const denied = () => host.error(403, 'Permission denied');
    if (method === 'GET') {
      if (host.may && !host.may(ns, path, 'read')) throw denied();
      await host.block(url);
      const now = this.vars.get(k);
      if (!now) throw host.error(404, 'variable not found');
      host.json(res, now, host.current());
      return true;
    }
    if (method === 'PUT' || method === 'POST') {
      const b = await host.body(req);
      if (!b || typeof b.Items !== 'object' || b.Items === null || !Object.keys(b.Items).length)
        throw host.error(400, 'variable missing required Items object');
      if (ns === '*') throw host.error(400, 'can not target wildcard ("*")namespace');
      if (host.may && !host.may(ns, path, 'write')) throw denied();
      // Nomad 1.6.5 checks the path in the RPC: a refused path is a 500 with its reason
      const perr = pathError(path);
      if (perr) throw host.error(500, perr);
      if (!host.namespaces().includes(ns)) throw host.error(400, `namespace "${ns}" does not exist`);
      const size = Object.entries(b.Items as Record<string, unknown>).reduce(
        (n, [kk, v]) => n + kk.length + String(v).length,
        0,
      );
      if (size > 65536) throw host.error(500, 'variables are limited to 64KiB in total size');
      if (cas !== undefined && (cur ? cur.ModifyIndex !== cas : cas !== 0)) {
        // Nomad answers 409 with the current variable (or, when there is none, an empty shell)
        host.json(
          res,
          cur ?? {
            Namespace: ns,
            Path: path,
            CreateIndex: 0,
            ModifyIndex: 0,
            CreateTime: 0,
            ModifyTime: 0,
            Items: null,
          },
          cur?.ModifyIndex ?? 0,
          409,
        );
        return true;
      }
      const i = host.write();
      const items: Record<string, string> = {};
      // own properties, defined (an assigned `__proto__` would set the prototype and drop the item; Nomad
      // keeps every key, it is a Go map)
      for (const [kk, v] of Object.entries(b.Items as Record<string, unknown>))
        Object.defineProperty(items, kk, { value: String(v), enumerable: true, writable: true, configurable: true });
      const v: StoredVar = {
        Namespace: ns,
        Path: path,
        CreateIndex: cur?.CreateIndex ?? i,
        ModifyIndex: i,
        CreateTime: cur?.CreateTime ?? nowNs(),
        ModifyTime: nowNs(),
        Items: items,
      };
      this.vars.set(k, v);
      host.json(res, v, i);
      return true;
    }
    if (method === 'DELETE') {
      if (host.may && !host.may(ns, path, 'destroy')) throw denied();
      if (cas !== undefined && (cur ? cur.ModifyIndex !== cas : cas !== 0)) {
        host.json(
          res,
          cur ?? {
            Namespace: ns,
            Path: path,
            CreateIndex: 0,
            ModifyIndex: 0,
            CreateTime: 0,
            ModifyTime: 0,
            Items: null,
          },
          cur?.ModifyIndex ?? 0,
          409,
        );
        return true;
      }
      const i = host.write();
      this.vars.delete(k);
      res.writeHead(204, { 'X-Nomad-Index': String(i) });
      res.end();
      return true;
    }
    throw host.error(400, 'Invalid method');
  }
}
