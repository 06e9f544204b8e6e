/**
 * Browser side of the plan webview. Renders a PlanViewModel: every string from the cluster is set with
 * textContent (never as HTML) and made visible first (bidirectional and invisible characters shown as
 * `\u202e`, as everywhere else). Talks to the extension only through the typed messages of
 * src/nomad/plan/messages.ts, after a `ready` handshake.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-divider/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import type { PlanFromWebview, PlanStatus, PlanToWebview, RunPhase } from '../../nomad/plan/messages';
import { visibleRows, type PlanRow, type PlanViewModel } from '../../nomad/plan/viewModel';
import { shortId, visible } from '../../nomad/display';

interface VsCodeApi {
  postMessage(msg: PlanFromWebview): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;
const vscode = acquireVsCodeApi();
const post = (m: PlanFromWebview) => vscode.postMessage(m);

let current: Extract<PlanToWebview, { type: 'plan' }> | undefined;
let showUnchanged = (vscode.getState() as { showUnchanged?: boolean } | undefined)?.showUnchanged ?? false;
let runState: RunPhase = { phase: 'idle' };
let planStatus: PlanStatus = { stale: false };

/** Every text goes in through visible(): our own words are unchanged by it, cluster strings show their
 *  invisible characters. */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = visible(text);
  return e;
}
function custom(tag: string, attrs: Record<string, string> = {}, text?: string): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = visible(text);
  return e;
}

const markerClass = (r: PlanRow) =>
  r.marker === '+' ? 'added' : r.marker === '-' ? 'deleted' : r.marker === '+/-' ? 'edited' : 'none';

/** A value as the CLI quotes it; a duration's humanised form beside it (`"15000000000" (15s)`). */
function quoted(cls: string, value: string | undefined, human: string | undefined): HTMLElement[] {
  const out = [el('span', cls, JSON.stringify(value ?? ''))];
  if (human !== undefined) out.push(el('span', 'human', ` (${human})`));
  return out;
}

function valueSpan(r: PlanRow): HTMLElement {
  const v = el('span', 'value');
  if (r.type === 'Edited' && !r.lines) {
    v.append(...quoted('old', r.old, r.oldHuman), el('span', 'arrow', ' => '), ...quoted('new', r.new, r.newHuman));
  } else if (!r.lines) {
    const deleted = r.type === 'Deleted';
    v.append(
      ...quoted(
        deleted ? 'old' : r.type === 'Added' ? 'new' : 'same',
        deleted ? r.old : (r.new ?? r.old),
        deleted ? r.oldHuman : (r.newHuman ?? r.oldHuman),
      ),
    );
  }
  return v;
}

function renderRow(r: PlanRow): HTMLElement {
  const head = el('div', `row ${r.kind} ${markerClass(r)}`);
  head.dataset.rowId = r.id;
  head.append(el('span', 'marker', r.marker || ' '), el('span', 'label', r.label));
  if (r.kind === 'field') head.append(el('span', 'colon', ': '), valueSpan(r));
  if (r.note) head.append(el('span', 'note', ` ${r.note}`));
  if (r.path.length) {
    head.classList.add('linked');
    head.title = 'Go to this line in the job file';
    head.addEventListener('click', ev => {
      ev.stopPropagation();
      post({ type: 'reveal', path: r.path });
    });
  }
  if (r.lines) {
    const box = el('div', 'lines');
    for (const l of r.lines) {
      // one line of a template or script: its tabs are meant (shown as tabs), everything else made visible
      const line = el('div', `line ${l.op === '+' ? 'added' : l.op === '-' ? 'deleted' : 'none'}`);
      line.textContent = `${l.op} ${l.text.split('\t').map(visible).join('\t')}`;
      box.append(line);
    }
    const wrap = el('div', 'field-block');
    wrap.append(head, box);
    return wrap;
  }
  if (!r.children.length) return head;
  const details = el('details', `node ${r.kind}`);
  details.open = r.kind !== 'object' || r.type !== 'None';
  const summary = el('summary');
  summary.append(head);
  details.append(summary);
  const kids = el('div', 'children');
  for (const c of r.children) kids.append(renderRow(c));
  details.append(kids);
  return details;
}

function renderRun(vm: PlanViewModel): HTMLElement {
  const box = el('div', 'run');
  const run = custom('vscode-button', { id: 'run' }, vm.change === 'none' ? 'Run anyway' : 'Run');
  const replan = custom('vscode-button', { id: 'replan', secondary: '' }, 'Re-plan');
  run.addEventListener('click', () => post({ type: 'run', jobModifyIndex: vm.jobModifyIndex }));
  replan.addEventListener('click', () => post({ type: 'replan' }));
  // a plan that ran is not Run again (Re-plan makes the current one); a plan of a file changed since is
  // not submitted either: Run then plans the file as it is and shows that
  if (planStatus.applied) {
    run.setAttribute('disabled', '');
    run.title = 'This plan was applied: Re-plan to run the file again';
  } else if (planStatus.stale)
    run.title =
      'The file changed since this plan: Run plans it as it is now and shows that plan (nothing is submitted)';
  const status = el('span', 'run-status');
  switch (runState.phase) {
    case 'submitting':
      run.setAttribute('disabled', '');
      status.append(custom('vscode-progress-ring'), el('span', '', ' Submitting…'));
      break;
    case 'submitted':
      run.setAttribute('disabled', '');
      status.textContent = visible(
        `Submitted: evaluation ${shortId(runState.evalId)}${runState.version !== undefined ? `, job version ${runState.version}` : ''}. Watching the deployment…`,
      );
      break;
    case 'deploying':
      run.setAttribute('disabled', '');
      status.append(
        custom('vscode-progress-ring'),
        el('span', '', ` Deploying (evaluation ${shortId(runState.evalId)}): ${runState.progress}`),
      );
      if (runState.failure) status.append(el('span', 'failure', `A task failed: ${runState.failure}`));
      if (runState.retry) status.append(el('span', 'retry', runState.retry));
      {
        const stop = custom('vscode-button', { id: 'stop-watching', secondary: '' }, 'Stop Watching');
        stop.title = 'Stop watching the deployment (it goes on in the cluster)';
        stop.addEventListener('click', () => post({ type: 'stopWatching' }));
        status.append(stop);
      }
      break;
    case 'done':
      status.className = `run-status done-${runState.outcome}${runState.outcome === 'successful' || runState.outcome === 'no-deployment' || runState.outcome === 'cancelled' ? '' : ' error'}`;
      status.append(el('span', runState.outcome === 'successful' ? 'ok' : '', runState.message));
      if (runState.detail) status.append(el('span', 'failure', runState.detail));
      break;
    case 'conflict':
      run.setAttribute('disabled', '');
      status.className = 'run-status error';
      status.textContent = `The job changed since your plan (index ${runState.planIndex}${runState.currentIndex !== undefined ? ` → ${runState.currentIndex}` : ''}). Nothing was submitted: re-plan to see the new difference.`;
      break;
    case 'error':
      status.className = 'run-status error';
      status.textContent = visible(runState.message);
      break;
    default:
      break;
  }
  box.append(run, replan, status);
  return box;
}

function render(): void {
  const root = document.getElementById('root')!;
  root.replaceChildren();
  if (!current) {
    root.append(el('p', 'muted', 'Waiting for the plan…'));
    return;
  }
  const { vm } = current;
  const header = el('header');
  const title = el('h1', '', `Plan: ${vm.jobId}`);
  const badge = custom(
    'vscode-badge',
    {},
    planStatus.applied
      ? 'applied'
      : vm.change === 'new'
        ? 'new job'
        : vm.change === 'none'
          ? 'no changes'
          : vm.change === 'delete'
            ? 'delete'
            : 'update',
  );
  header.append(title, badge);
  const meta = el(
    'div',
    'meta',
    `${current.fileName} · cluster ${current.cluster} · namespace ${current.namespace} · planned ${new Date(current.plannedAt).toLocaleTimeString()}`,
  );
  root.append(header, meta);
  // what is true now, before what the plan said
  if (planStatus.notice) {
    const box = el('div', 'notice');
    box.id = 'notice';
    box.append(el('span', '', planStatus.notice.text));
    if (planStatus.notice.details?.length) {
      const d = el('details', 'notice-details');
      d.append(el('summary', '', 'Show what differs'));
      const ul = el('ul');
      for (const l of planStatus.notice.details) ul.append(el('li', '', l));
      d.append(ul);
      box.append(d);
    }
    root.append(box);
  }
  if (planStatus.stale) {
    const box = el('div', 'stale');
    box.id = 'stale';
    box.append(
      el(
        'span',
        '',
        'The file changed since this plan: Run plans the file as it is now and shows that plan, submitting nothing. ',
      ),
    );
    const again = custom('vscode-button', { id: 'stale-replan' }, 'Re-plan');
    again.addEventListener('click', () => post({ type: 'replan' }));
    box.append(again);
    root.append(box);
  }
  if (planStatus.applied) {
    const v = planStatus.applied.version;
    const p = el(
      'p',
      'summary-line applied',
      `Applied as version ${v ?? '?'} (evaluation ${shortId(planStatus.applied.evalId)}): this plan ran. Re-plan to compare the file with what the cluster runs now.`,
    );
    p.id = 'applied';
    root.append(renderRun(vm), p);
  } else {
    root.append(renderRun(vm));
    if (vm.change === 'none')
      root.append(el('p', 'summary-line', 'No changes: the cluster already runs this version of the job.'));
    else if (vm.change === 'new')
      root.append(el('p', 'summary-line', 'A new job: nothing by this name runs in this namespace yet.'));
  }

  const toggle = custom('vscode-checkbox', showUnchanged ? { checked: '' } : {}, 'Show unchanged fields');
  toggle.id = 'show-unchanged';
  toggle.addEventListener('change', () => {
    showUnchanged = !showUnchanged;
    vscode.setState({ showUnchanged });
    render();
  });
  root.append(toggle);

  const diff = el('section', 'diff');
  if (vm.root) for (const r of visibleRows([vm.root], showUnchanged)) diff.append(renderRow(r));
  root.append(diff);

  if (vm.groupUpdates.length) {
    const tbl = el('table', 'updates');
    const th = el('tr');
    th.append(el('th', '', 'Task group'), el('th', '', 'Updates'));
    tbl.append(th);
    for (const g of vm.groupUpdates) {
      const tr = el('tr');
      tr.append(el('td', '', g.group), el('td', '', g.updates.map(u => `${u.count} ${u.kind}`).join(', ') || '—'));
      tbl.append(tr);
    }
    root.append(el('h2', '', 'Updates'), tbl);
  }

  root.append(el('h2', '', 'Scheduler dry-run'));
  const dry = el('section', 'dry-run');
  if (vm.allPlaced) dry.append(el('p', 'ok', 'All tasks successfully allocated.'));
  for (const f of vm.failed) {
    dry.append(el('p', 'error', `Task group "${f.group}" could not be placed:`));
    const ul = el('ul');
    for (const l of f.lines) ul.append(el('li', '', l));
    dry.append(ul);
  }
  if (vm.nextPeriodicLaunch)
    dry.append(el('p', '', `If submitted now, the next periodic launch would be at ${vm.nextPeriodicLaunch}.`));
  root.append(dry);
  if (vm.warnings.length) {
    root.append(el('h2', '', 'Warnings'));
    const ul = el('ul', 'warnings');
    for (const w of vm.warnings) ul.append(el('li', '', w));
    root.append(ul);
  }

  const cli = el('section', 'cli');
  cli.append(el('div', '', `Job Modify Index: ${vm.jobModifyIndex}`));
  const code = el('code', '', vm.cliLine);
  const copy = custom('vscode-button', { secondary: '' }, 'Copy');
  copy.addEventListener('click', () => post({ type: 'copy', text: vm.cliLine }));
  cli.append(el('div', 'muted', 'To submit the same file with the same check from a terminal:'), code, copy);
  root.append(custom('vscode-divider'), cli);
}

window.addEventListener('message', (ev: MessageEvent<PlanToWebview>) => {
  const m = ev.data;
  switch (m.type) {
    case 'plan':
      current = m;
      runState = { phase: 'idle' };
      planStatus = { stale: false };
      render();
      break;
    case 'status':
      planStatus = m.status;
      render();
      break;
    case 'planning': {
      const root = document.getElementById('root')!;
      root.replaceChildren(custom('vscode-progress-ring'), el('span', 'muted', ` Planning ${m.fileName}…`));
      break;
    }
    case 'planError': {
      const root = document.getElementById('root')!;
      const p = el('p', 'error', m.message);
      const again = custom('vscode-button', {}, 'Re-plan');
      again.addEventListener('click', () => post({ type: 'replan' }));
      root.replaceChildren(el('h1', '', 'The plan failed'), p, again);
      break;
    }
    case 'run':
      runState = m.state;
      render();
      break;
  }
});

render();
post({ type: 'ready' });
