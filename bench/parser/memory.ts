// bench/parser/memory: the language server's memory with 100 job files open (goal < 150 MB).
// Speaks LSP over stdio to dist/server.js like an editor: initialize, didOpen 100 corpus job files,
// wait for their diagnostics, then ask the server for its RSS (nomad/serverStatus).
import * as fs from 'fs';
import * as path from 'path';
import { LspClient } from '../../test/unit/lspClient';
import { SERVER_EXEC_ARGV } from '../../src/shared/protocol';

const root = path.resolve(__dirname, '..', '..', '..');
const corpus = path.resolve(root, '..', 'shared', 'corpus', 'valid');

function main(): Promise<void> {
  if (!fs.existsSync(corpus)) {
    console.log(`skipped: no corpus at ${corpus}`);
    return Promise.resolve();
  }
  const files = fs.readdirSync(corpus).sort().slice(0, 100);
  const client = new LspClient(path.join(root, 'dist', 'server.js'), { execArgv: [...SERVER_EXEC_ARGV] });
  const published = new Set<string>();
  const request = (method: string, params: unknown): Promise<unknown> => client.call(method, params);
  const send = (m: object): void => client.send(m);
  return (async () => {
    await request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    send({ method: 'initialized', params: {} });
    const base = (await request('nomad/serverStatus', {})) as { rssBytes: number };
    let bytes = 0;
    for (const f of files) {
      const text = fs.readFileSync(path.join(corpus, f), 'utf8');
      bytes += text.length;
      send({
        method: 'textDocument/didOpen',
        params: { textDocument: { uri: `file:///corpus/${f}.nomad`, languageId: 'nomad', version: 1, text } },
      });
    }
    for (let i = 0; i < 600 && published.size < files.length; i++) {
      client.discard(m => {
        const uri = m.method === 'textDocument/publishDiagnostics' ? (m.params as { uri?: string }).uri : undefined;
        if (uri) published.add(uri);
        return uri !== undefined;
      });
      await new Promise(r => setTimeout(r, 100));
    }
    const s = (await request('nomad/serverStatus', {})) as { rssBytes: number; openDocuments: number };
    console.log(
      `language server: ${s.openDocuments} job files open (${(bytes / 1024).toFixed(0)} KiB), diagnostics published for ${published.size}`,
    );
    console.log(
      `  RSS ${(s.rssBytes / 1048576).toFixed(0)} MiB (empty: ${(base.rssBytes / 1048576).toFixed(0)} MiB); goal < 150 MB → ${s.rssBytes < 150e6 ? 'met' : 'NOT met'}`,
    );
    // a 5 MB minified JSON job opened and closed: the memory it took is given back (issue 15)
    const groups: unknown[] = [];
    for (let i = 0; i < 13000; i++) {
      groups.push({
        name: `g${i}`,
        count: 1,
        task: [
          {
            name: 't',
            driver: 'docker',
            config: { image: 'nginx', args: ['a', 'b', 'c'], ports: ['http'] },
            env: { A: 'x'.repeat(200), B: 'y' },
            resources: { cpu: 100, memory: 128 },
          },
        ],
      });
    }
    const big = JSON.stringify({ job: { big: { datacenters: ['dc1'], group: groups } } });
    const bigUri = 'file:///corpus/big.nomad.json';
    const rss = async (): Promise<number> =>
      ((await request('nomad/serverStatus', {})) as { rssBytes: number }).rssBytes / 1048576;
    const before = await rss();
    send({
      method: 'textDocument/didOpen',
      params: { textDocument: { uri: bigUri, languageId: 'nomad', version: 1, text: big } },
    });
    for (let i = 0; i < 600; i++) {
      let seen = false;
      client.discard(m => {
        const hit = m.method === 'textDocument/publishDiagnostics' && (m.params as { uri?: string }).uri === bigUri;
        seen ||= hit;
        return hit;
      });
      if (seen) break;
      await new Promise(r => setTimeout(r, 50));
    }
    const open = await rss();
    send({ method: 'textDocument/didClose', params: { textDocument: { uri: bigUri } } });
    await new Promise(r => setTimeout(r, 2500));
    const closed = await rss();
    console.log(
      `  ${(big.length / 1048576).toFixed(1)} MB minified JSON job: RSS ${before.toFixed(0)} → ${open.toFixed(0)} MiB open → ${closed.toFixed(0)} MiB 2.5 s after closing`,
    );
    await request('shutdown', null);
    send({ method: 'exit' });
  })();
}
void main().catch(e => {
  console.error(e);
  process.exit(1);
});
