export { NomadDouble } from './nomad';
export type { NomadDoubleOptions, ParseJob } from './nomad';
export { ConsulDouble } from './consul';
export { fallbackParseJob } from './parse';
