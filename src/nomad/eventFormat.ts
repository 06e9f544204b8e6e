// The event stream as lines of text, and the filter the user types. Pure: no `vscode` import.
// Every cluster string goes through visible(): an event's key, namespace and payload are untrusted.
import { visible } from './display';
import type { StreamEvent } from './types';

export const ALL_TOPICS = [
  'Job',
  'Allocation',
  'Deployment',
  'Evaluation',
  'Node',
  'NodePool',
  'Service',
  'ACLToken',
  'ACLPolicy',
  'ACLRole',
] as const;

export interface EventFilter {
  /** Topics to ask the server for; empty = every topic ("*"). */
  topics: string[];
  /** Only events whose Key (or a FilterKey) equals this; empty = any key. Sent to the server. */
  key: string;
  /** Case-insensitive text the formatted line must contain; applied here. */
  text: string;
}

export const NO_FILTER: EventFilter = { topics: [], key: '', text: '' };

/** The `topic` query values: `Topic:Key` pairs, `*` for all. */
export function topicQuery(f: EventFilter): string[] {
  const key = f.key.trim() || '*';
  const topics = f.topics.length ? f.topics : ['*'];
  return topics.map(t => `${t}:${key}`);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A short description of what the payload says (status fields), never the whole payload. */
export function summary(e: StreamEvent): string {
  const p = (e.Payload ?? {}) as Record<string, Record<string, unknown> | undefined>;
  switch (e.Topic) {
    case 'Allocation': {
      const a = p['Allocation'] ?? {};
      return [
        str(a['Name']),
        str(a['ClientStatus']) && `client ${String(a['ClientStatus'])}`,
        str(a['DesiredStatus']) && `desired ${String(a['DesiredStatus'])}`,
      ]
        .filter(Boolean)
        .join(' · ');
    }
    case 'Job': {
      const j = p['Job'] ?? {};
      return [
        str(j['Status']),
        typeof j['Version'] === 'number' ? `v${j['Version']}` : undefined,
        j['Stop'] === true ? 'stopped' : undefined,
      ]
        .filter(Boolean)
        .join(' · ');
    }
    case 'Deployment': {
      const d = p['Deployment'] ?? {};
      return [str(d['JobID']), str(d['Status']), str(d['StatusDescription'])].filter(Boolean).join(' · ');
    }
    case 'Evaluation': {
      const ev = p['Evaluation'] ?? {};
      return [str(ev['JobID']), str(ev['TriggeredBy']), str(ev['Status'])].filter(Boolean).join(' · ');
    }
    case 'Node': {
      const n = p['Node'] ?? {};
      return [str(n['Name']), str(n['Status']), str(n['SchedulingEligibility'])].filter(Boolean).join(' · ');
    }
    case 'Service': {
      const s = p['Service'] ?? {};
      return [str(s['ServiceName']), str(s['Address']) && `${String(s['Address'])}:${String(s['Port'] ?? '')}`]
        .filter(Boolean)
        .join(' · ');
    }
    default:
      return '';
  }
}

/** One line per event: `#index Topic Type key [namespace] summary`, made visible. */
export function formatEvent(e: StreamEvent): string {
  const ns = e.Namespace && e.Namespace !== 'default' ? ` [${visible(e.Namespace)}]` : '';
  const s = summary(e);
  return `#${e.Index} ${visible(e.Topic)} ${visible(e.Type)} ${visible(e.Key)}${ns}${s ? ` — ${visible(s)}` : ''}`;
}

/** True when the event passes the filter (topics and key are also sent to the server; checked again
 *  here so a filter changed mid-stream applies at once). */
export function matches(e: StreamEvent, f: EventFilter, line = formatEvent(e)): boolean {
  if (f.topics.length && !f.topics.includes(e.Topic)) return false;
  const key = f.key.trim();
  if (key && e.Key !== key && !(e.FilterKeys ?? []).includes(key)) return false;
  const text = f.text.trim().toLowerCase();
  return !text || line.toLowerCase().includes(text);
}

/** The filter as a short description (status bar, output header). */
export function describeFilter(f: EventFilter): string {
  const parts = [f.topics.length ? f.topics.join(', ') : 'all topics'];
  if (f.key.trim()) parts.push(`key ${visible(f.key.trim())}`);
  if (f.text.trim()) parts.push(`text "${visible(f.text.trim())}"`);
  return parts.join(' · ');
}
