// bench/parser/memory: the language server's memory with 100 job files open (goal < 150 MB).
// Speaks LSP over stdio to dist/server.js like an editor: initialize, didOpen 100 corpus job files,
// wait for their diagnostics, then ask the server for its RSS (nomad/serverStatus).
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..', '..');
const corpus = path.resolve(root, '..', 'shared', 'corpus', 'valid');

function main(): Promise<void> {
  if (!fs.existsSync(corpus)) { console.log(`skipped: no corpus at ${corpus}`); return Promise.resolve(); }
  const files = fs.readdirSync(corpus).sort().slice(0, 100);
  const server = spawn(process.execPath, ['--max-semi-space-size=32', path.join(root, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  let buf = Buffer.alloc(0);
  let id = 0;
  const pending = new Map<number, (r: unknown) => void>();
  const published = new Set<string>();
  server.stdout.on('data', (c: Buffer) => {
    buf = Buffer.concat([buf, c]);
    for (;;) {
      const h = buf.indexOf('\r\n\r\n');
      if (h < 0) return;
      const len = Number(/Content-Length: (\d+)/i.exec(buf.subarray(0, h).toString())![1]);
      if (buf.length < h + 4 + len) return;
      const msg = JSON.parse(buf.subarray(h + 4, h + 4 + len).toString()) as { id?: number; method?: string; params?: { uri?: string }; result?: unknown };
      buf = buf.subarray(h + 4 + len);
      if (msg.id !== undefined && pending.has(msg.id)) { pending.get(msg.id)!(msg.result); pending.delete(msg.id); }
      else if (msg.method === 'textDocument/publishDiagnostics' && msg.params?.uri) published.add(msg.params.uri);
      else if (msg.id !== undefined && msg.method) send({ jsonrpc: '2.0', id: msg.id, result: null }); // workspace/configuration etc.
    }
  });
  const send = (m: unknown) => { const s = JSON.stringify(m); server.stdin.write(`Content-Length: ${Buffer.byteLength(s)}\r\n\r\n${s}`); };
  const request = (method: string, params: unknown) => new Promise<unknown>(resolve => { const i = ++id; pending.set(i, resolve); send({ jsonrpc: '2.0', id: i, method, params }); });
  return (async () => {
    await request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    send({ jsonrpc: '2.0', method: 'initialized', params: {} });
    const base = (await request('nomad/serverStatus', {})) as { rssBytes: number };
    let bytes = 0;
    for (const f of files) {
      const text = fs.readFileSync(path.join(corpus, f), 'utf8');
      bytes += text.length;
      send({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: `file:///corpus/${f}.nomad`, languageId: 'nomad', version: 1, text } } });
    }
    for (let i = 0; i < 600 && published.size < files.length; i++) await new Promise(r => setTimeout(r, 100));
    const s = (await request('nomad/serverStatus', {})) as { rssBytes: number; openDocuments: number };
    console.log(`language server: ${s.openDocuments} job files open (${(bytes / 1024).toFixed(0)} KiB), diagnostics published for ${published.size}`);
    console.log(`  RSS ${(s.rssBytes / 1048576).toFixed(0)} MiB (empty: ${(base.rssBytes / 1048576).toFixed(0)} MiB); goal < 150 MB → ${s.rssBytes < 150e6 ? 'met' : 'NOT met'}`);
    await request('shutdown', null);
    send({ jsonrpc: '2.0', method: 'exit' });
  })();
}
void main().catch(e => { console.error(e); process.exit(1); });
