// The entities of a job file outside the job block: input variables and locals.
import type { BlockSpec } from './types';

export const variableBlock: BlockSpec = {
  description:
    'Declares an input variable. Its value comes from -var, -var-file, NOMAD_VAR_<name> or the default, and is read as var.<name>.',
  labels: ['name'],
  multiple: true,
  attributes: {
    type: {
      type: 'any',
      description:
        'Type constraint of the value, e.g. string, number, bool, list(string), map(string) or object({...}). Defaults to any.',
    },
    default: { type: 'any', description: 'Value used when none is given. Without a default the variable must be set.' },
    description: { type: 'string', description: 'What the variable is for; shown to people running the job.' },
  },
  blocks: {
    validation: {
      description: 'A rule the value must satisfy; several rules may be given.',
      multiple: true,
      attributes: {
        condition: {
          type: 'bool',
          required: true,
          description: 'Expression over var.<name> that must be true for an acceptable value.',
        },
        error_message: {
          type: 'string',
          required: true,
          description: 'Message shown when the condition fails; one or more full sentences.',
        },
      },
    },
  },
};

export const variablesBlock: BlockSpec = {
  description: 'Older short form: each attribute declares an input variable with that default value.',
  freeform: 'any',
  multiple: true,
  attrSyntax: false,
};

export const localsBlock: BlockSpec = {
  description: 'Named expressions computed once and read as local.<name>. Several locals blocks may be used.',
  freeform: 'any',
  multiple: true,
};

export const fileDescription = 'A Nomad job file: optional variable and locals blocks and exactly one job block.';
export const jobBlockDescription = 'The job; its label is the job ID (and default name).';
