// A finding's example comes from the file itself (issue 23, item 5): the port_map finding of a file that
// maps 3000 says `to = 3000` (it said `to = 8080`, fixed text, while the quick fix was right); the
// disconnect findings show the value written; no message ever shows a placeholder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diags } from '../support';
import { deprecations, withExampleFallbacks } from '../../../src/language/schema/deprecations';

const job = (group: string, task = '') =>
  `job "j" {\n  group "g" {\n${group}\n    task "t" {\n      driver = "docker"\n      config {\n        image = "x"\n${task}\n      }\n    }\n  }\n}\n`;
const message = (text: string, re: RegExp) => {
  const d = diags(text).find(x => re.test(x.message));
  assert.ok(
    d,
    `a finding matching ${re}: ${diags(text)
      .map(x => x.message)
      .join(' | ')}`,
  );
  return d.message;
};

test("port_map: the example is the file's own label and port (a number or a quoted one)", () => {
  for (const map of ['port_map {\n          web = 3000\n        }', 'port_map { web = "3000" }']) {
    const m = message(job('', map), /port_map is deprecated/);
    assert.ok(m.includes('port "web" { to = 3000 }') && m.includes('ports = ["web"]'), m);
    assert.ok(!m.includes('8080'), m);
  }
  // nothing to take (an expression): the example as written in the data
  const m = message(job('', 'port_map { web = var.port }'), /port_map is deprecated/);
  assert.ok(m.includes('port "http" { to = 8080 }'), m);
});

test('the disconnect findings show the value written, and the opposite boolean where it flips', () => {
  assert.match(message(job('    max_client_disconnect = "1h"'), /max_client_disconnect/), /lost_after = "1h"/);
  assert.match(
    message(job('    stop_after_client_disconnect = "90s"'), /stop_after_client_disconnect/),
    /stop_on_client_after = "90s"/,
  );
  assert.match(message(job('    prevent_reschedule_on_lost = true'), /prevent_reschedule_on_lost/), /replace = false/);
  assert.match(message(job('    prevent_reschedule_on_lost = false'), /prevent_reschedule_on_lost/), /replace = true/);
});

test("no message shows a placeholder, with or without the file's values", () => {
  for (const d of deprecations) assert.ok(!/\{(value|not|label|to)=/.test(withExampleFallbacks(d.message)), d.message);
  const all = diags(
    job('    max_client_disconnect = var.x\n    prevent_reschedule_on_lost = var.y', 'port_map {}'),
  ).map(x => x.message);
  assert.ok(all.some(m => /port_map/.test(m)) && all.some(m => /max_client_disconnect/.test(m)), all.join(' | '));
  for (const m of all) assert.ok(!/\{(value|not|label|to)=/.test(m), m);
});
