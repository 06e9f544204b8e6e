// The double's docker driver: the Docker Engine HTTP API over a unix socket (the private engine of
// scripts/docker.cjs), used the way Nomad 1.6's docker driver uses it:
//   image:  inspect; a tag other than `latest` that is present is used as is, else "Downloading image"
//           and a pull, whose failure becomes `Failed to pull `<image>`: API error (<status>): <message>`
//   create: name <task>-<alloc id>, the task's env, memory limit, port bindings on 127.0.0.1 from
//           config.port_map (or the port's `to`), labels naming the allocation
//   start, then the container's output followed (docker logs) into the task's rotated log files
//   stop:   kill with the task's kill_signal, then stop with its kill_timeout, then remove
import * as http from 'node:http';

export interface EngineReply {
  status: number;
  text: string;
  json: any;
}

/** API version both Debian bookworm's engine (1.41) and newer ones answer. */
const API = '/v1.41';

export class DockerEngine {
  constructor(readonly socket: string) {}

  static fromHost(host: string): DockerEngine {
    return new DockerEngine(host.replace(/^unix:\/\//, ''));
  }

  request(method: string, p: string, body?: unknown, timeoutMs = 60_000): Promise<EngineReply> {
    return new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const req = http.request(
        {
          socketPath: this.socket,
          method,
          path: API + p,
          timeout: timeoutMs,
          headers: data ? { 'Content-Type': 'application/json', 'Content-Length': data.length } : {},
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', c => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: any = undefined;
            try {
              json = text ? JSON.parse(text) : undefined;
            } catch {
              /* not JSON (a stream) */
            }
            resolve({ status: res.statusCode ?? 0, text, json });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`docker ${method} ${p}: timeout`)));
      req.on('error', reject);
      req.end(data);
    });
  }

  /** The engine's error in the shape go-dockerclient gives it to Nomad: `API error (404): <message>`. */
  static apiError(r: EngineReply): Error {
    const msg = typeof r.json?.message === 'string' ? r.json.message : r.text.trim();
    return new Error(`API error (${r.status}): ${msg}`);
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.request('GET', '/_ping', undefined, 2000)).status === 200;
    } catch {
      return false;
    }
  }

  async version(): Promise<any> {
    return (await this.request('GET', '/version', undefined, 5000)).json;
  }

  async imageExists(image: string): Promise<boolean> {
    return (await this.request('GET', `/images/${encodeURIComponent(image)}/json`)).status === 200;
  }

  /** Pulls repo:tag; rejects with the engine's message (HTTP error or an error line in the progress stream). */
  async pull(image: string): Promise<void> {
    const { repo, tag } = parseImage(image);
    const r = await this.request(
      'POST',
      `/images/create?fromImage=${encodeURIComponent(repo)}&tag=${encodeURIComponent(tag)}`,
      undefined,
      300_000,
    );
    if (r.status !== 200) throw DockerEngine.apiError(r);
    for (const line of r.text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const m = JSON.parse(line);
        if (m.error) throw new Error(String(m.error));
      } catch (e) {
        if (!(e instanceof SyntaxError)) throw e;
      }
    }
  }

  async create(name: string, config: unknown): Promise<string> {
    const r = await this.request('POST', `/containers/create?name=${encodeURIComponent(name)}`, config);
    if (r.status !== 201) throw DockerEngine.apiError(r);
    return String(r.json.Id);
  }

  async start(id: string): Promise<void> {
    const r = await this.request('POST', `/containers/${id}/start`);
    if (r.status !== 204 && r.status !== 304) throw DockerEngine.apiError(r);
  }

  /** Resolves with the exit code when the container stops. */
  async wait(id: string): Promise<number> {
    const r = await this.request('POST', `/containers/${id}/wait`, undefined, 0);
    if (r.status !== 200) throw DockerEngine.apiError(r);
    return Number(r.json?.StatusCode ?? 0);
  }

  async inspect(id: string): Promise<any> {
    const r = await this.request('GET', `/containers/${id}/json`);
    return r.status === 200 ? r.json : undefined;
  }

  async kill(id: string, signal: string): Promise<void> {
    await this.request('POST', `/containers/${id}/kill?signal=${encodeURIComponent(signal)}`);
  }
  async stop(id: string, seconds: number): Promise<void> {
    await this.request(
      'POST',
      `/containers/${id}/stop?t=${Math.max(0, Math.round(seconds))}`,
      undefined,
      (seconds + 30) * 1000,
    );
  }
  async remove(id: string): Promise<void> {
    await this.request('DELETE', `/containers/${id}?force=true&v=true`);
  }

  /** Follows a container's output (from its start); stdout/stderr chunks as the engine frames them. */
  follow(id: string, onOut: (b: Buffer) => void, onErr: (b: Buffer) => void): { close(): void; done: Promise<void> } {
    let req: http.ClientRequest | undefined;
    const done = new Promise<void>(resolve => {
      req = http.request(
        { socketPath: this.socket, method: 'GET', path: `${API}/containers/${id}/logs?follow=1&stdout=1&stderr=1` },
        res => {
          let buf: Buffer = Buffer.alloc(0);
          res.on('data', (c: Buffer) => {
            buf = buf.length ? Buffer.concat([buf, c]) : c;
            // multiplexed stream: [stream, 0, 0, 0, size (4 bytes BE)] then size bytes
            while (buf.length >= 8) {
              const size = buf.readUInt32BE(4);
              if (buf.length < 8 + size) break;
              const payload = buf.subarray(8, 8 + size);
              if (buf[0] === 2) onErr(payload);
              else onOut(payload);
              buf = buf.subarray(8 + size);
            }
          });
          res.on('end', () => resolve());
          res.on('error', () => resolve());
        },
      );
      req.on('error', () => resolve());
      req.end();
    });
    return { close: () => req?.destroy(), done };
  }
}

/** `repo[:tag]` the way Nomad's docker driver splits it (a registry port is not a tag). */
export function parseImage(image: string): { repo: string; tag: string } {
  const at = image.indexOf('@');
  if (at >= 0) return { repo: image.slice(0, at), tag: image.slice(at + 1) };
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  if (colon > slash) return { repo: image.slice(0, colon), tag: image.slice(colon + 1) };
  return { repo: image, tag: 'latest' };
}

export interface ContainerSpec {
  name: string;
  image: string;
  env: Record<string, string>;
  memoryMB: number;
  cpuShares: number;
  /** container port → host port */
  ports: Array<{ label: string; container: number; host: number }>;
  labels: Record<string, string>;
  binds: string[];
  command?: string;
  args?: string[];
}

/** The create body Nomad's docker driver would send for this task (the parts the double models). */
export function containerConfig(s: ContainerSpec): unknown {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const p of s.ports) {
    for (const proto of ['tcp', 'udp']) {
      exposed[`${p.container}/${proto}`] = {};
      bindings[`${p.container}/${proto}`] = [{ HostIp: '127.0.0.1', HostPort: String(p.host) }];
    }
  }
  const cmd = s.command ? [s.command, ...(s.args ?? [])] : s.args?.length ? s.args : undefined;
  return {
    Image: s.image,
    Env: Object.entries(s.env).map(([k, v]) => `${k}=${v}`),
    Labels: s.labels,
    ExposedPorts: exposed,
    ...(cmd ? { Cmd: cmd } : {}),
    HostConfig: {
      Memory: s.memoryMB * 1024 * 1024,
      MemorySwap: s.memoryMB * 1024 * 1024,
      CpuShares: s.cpuShares,
      PortBindings: bindings,
      Binds: s.binds,
      NetworkMode: 'default',
      LogConfig: { Type: 'json-file', Config: { 'max-size': '2m', 'max-file': '2' } },
    },
  };
}
