export { NomadDouble } from './nomad';
export type { DoubleNodeFacts, NomadDoubleOptions, ParseJob } from './nomad';
export { ConsulDouble } from './consul';
export { fallbackParseJob } from './parse';
