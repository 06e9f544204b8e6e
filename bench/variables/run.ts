// bench/variables: the time from a save to the confirmed write — a check-and-set PUT of a variable
// through the extension's client (src/nomad/variables.ts), answered with the stored version — 200
// saves one after the other, each on the index the previous one returned (as successive saves of an
// open document are). Beside it, the same PUTs as bare HTTP requests (Node's fetch), run right after.
//   npm run bench:variables     (NOMAD_BIN / NOMAD_ADDR for a real agent, else the double)
import { performance } from 'perf_hooks';
import { NomadClient } from '../../src/nomad/client';
import { VariablesClient } from '../../src/nomad/variables';
import { startBackend } from '../../test/contract/backend';

const N = Number(process.env.N ?? 200);

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return `median ${q(0.5).toFixed(2)} ms · p95 ${q(0.95).toFixed(2)} ms · max ${s[s.length - 1]!.toFixed(2)} ms (n=${s.length})`;
}

async function main(): Promise<void> {
  const b = await startBackend();
  const client = new NomadClient({
    profile: { name: 'bench', address: b.addr, tls: { skipVerify: false } },
    ...(b.token ? { token: b.token } : {}),
  });
  try {
    const vars = new VariablesClient(client);
    const p = `bench/vars-${process.pid}`;
    let index = 0;
    const ours: number[] = [];
    for (let i = 0; i < N + 10; i++) {
      const t0 = performance.now();
      const r = await vars.write('default', p, { user: 'admin', password: `pw-${i}`, note: 'x'.repeat(200) }, index);
      const dt = performance.now() - t0;
      if (!r.ok) throw new Error('unexpected conflict');
      index = r.variable.ModifyIndex;
      if (i >= 10) ours.push(dt);
    }
    const bare: number[] = [];
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      ...(b.token ? { 'x-nomad-token': b.token } : {}),
    };
    for (let i = 0; i < N + 10; i++) {
      const t0 = performance.now();
      const res = await fetch(`${b.addr}/v1/var/${p}?cas=${index}`, {
        method: 'PUT',
        headers,
        body: JSON.stringify({ Path: p, Items: { user: 'admin', password: `pw-${i}`, note: 'x'.repeat(200) } }),
      });
      const body = (await res.json()) as { ModifyIndex: number };
      const dt = performance.now() - t0;
      if (res.status !== 200) throw new Error(`bare PUT: ${res.status}`);
      index = body.ModifyIndex;
      if (i >= 10) bare.push(dt);
    }
    await vars.delete('default', p, index);
    console.log(
      `bench:variables — ${N} check-and-set saves of one variable, one after the other; backend: ${b.kind} ${b.addr}`,
    );
    console.log(`  ours (VariablesClient.write, save → confirmed): ${stats(ours)}`);
    console.log(`  bare fetch PUT ?cas= (same PUTs, no client):    ${stats(bare)}`);
  } finally {
    await client.close();
    await b.stop();
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
