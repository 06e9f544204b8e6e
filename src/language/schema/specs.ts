// The shapes of node pool, quota and Nomad Variable specification files, for completion, hover and the
// checks. Facts from Nomad's CLI (command/node_pool_apply.go, command/quota_apply.go,
// command/var_put.go) and api/ at v1.6.5 and later tags; the `since` of a member is the first minor
// release whose CLI reads it (older releases refuse it). Pure data: no `vscode` import.
import type { BlockSpec } from './types';

/** `nomad node pool apply <file>`: one `node_pool "<name>" { … }` block, read with HCL2's decoder. */
export const nodePoolSpec: BlockSpec = {
  description: 'A node pool specification for `nomad node pool apply` (Nomad 1.6 and later).',
  blocks: {
    node_pool: {
      description:
        'The node pool to create or update. The label is its name: letters, digits, `-` and `_`, at most 128; the built-in pools `all` and `default` cannot be changed.',
      labels: ['name'],
      attributes: {
        description: {
          type: 'string',
          description: 'Human-readable description of the pool (at most 256 characters).',
        },
        node_identity_ttl: {
          type: 'duration',
          since: '1.11',
          description:
            'How long the identity of a node in this pool lives before it must be renewed (default 24h). Nomad 1.11 and later.',
        },
      },
      blocks: {
        meta: {
          description: 'Metadata of the pool as `key = "value"` pairs. The scheduler does not use it.',
          freeform: 'string',
        },
        scheduler_config: {
          description:
            "Scheduler settings of this pool, overriding the cluster's. Nomad Enterprise only: the Community Edition refuses a pool that has this block.",
          attributes: {
            scheduler_algorithm: {
              type: 'string',
              enum: ['binpack', 'spread'],
              description:
                "Placement algorithm of the pool: `binpack` fills nodes, `spread` spreads allocations. Unset: the cluster's algorithm.",
            },
            memory_oversubscription_enabled: {
              type: 'bool',
              description:
                "Whether tasks in this pool may use `memory_max` above their reserved memory. Unset: the cluster's setting.",
            },
          },
        },
      },
    },
  },
};

/** Limits that a quota sets per region and (Nomad 2.0) per node pool. */
function resourceLimits(withNodePools: boolean): BlockSpec {
  const spec: BlockSpec = {
    description: '',
    attributes: {
      cpu: {
        type: 'number',
        description:
          'CPU limit in MHz across all allocations of the namespaces using the quota. 0: no limit; a negative value: none allowed.',
      },
      cores: { type: 'number', since: '1.8', description: 'Limit of reserved CPU cores. Nomad 1.8.2 and later.' },
      memory: { type: 'number', description: 'Memory limit in MiB. 0: no limit; a negative value: none allowed.' },
      memory_max: { type: 'number', description: 'Limit of the sum of `memory_max` (oversubscribed memory) in MiB.' },
    },
    blocks: {
      device: {
        description: 'Limit of a device type, e.g. `device "nvidia/gpu" { count = 2 }`. Nomad 1.9 and later.',
        labels: ['name'],
        multiple: true,
        since: '1.9',
        attributes: {
          count: { type: 'number', description: 'How many devices of this type allocations may use.' },
          name: { type: 'string', description: 'Name of the device (the label already sets it).' },
        },
      },
      storage: {
        description: 'Storage limits. Nomad 1.10 and later.',
        since: '1.10',
        attributes: {
          variables: {
            type: 'any',
            description:
              'Limit of the total size of Variables, in MiB or as a size such as "1GiB". Replaces `variables_limit`.',
          },
          host_volumes: {
            type: 'any',
            description:
              'Limit of the total provisioned size of dynamic host volumes, in MiB or as a size such as "100GiB".',
          },
        },
      },
    },
  };
  if (withNodePools) {
    const inPool = resourceLimits(false);
    spec.blocks!['node_pool'] = {
      description: 'Limits inside one node pool: `node_pool "<pool>" { cpu, memory … }`. Nomad 2.0 and later.',
      labels: ['pool'],
      multiple: true,
      since: '2.0',
      attributes: inPool.attributes!,
      blocks: inPool.blocks!,
    };
  }
  return spec;
}

/** `nomad quota apply <file>` (Nomad Enterprise servers): read with the HCL1 decoder. */
export const quotaSpec: BlockSpec = {
  description: 'A resource quota specification for `nomad quota apply` (quotas need Nomad Enterprise).',
  attributes: {
    name: { type: 'string', required: true, description: 'Name of the quota; namespaces refer to it by this name.' },
    description: { type: 'string', description: 'Human-readable description of the quota.' },
  },
  blocks: {
    limit: {
      description: 'The limit in one region; write one `limit` block per region.',
      multiple: true,
      attributes: {
        region: { type: 'string', description: 'Region in which the limit applies.' },
        variables_limit: {
          type: 'number',
          deprecatedSince: '1.10',
          description:
            'Limit of the total size of Variables in MiB. Deprecated since Nomad 1.10 in favour of `region_limit { storage { variables } }`.',
        },
      },
      blocks: {
        region_limit: {
          ...resourceLimits(true),
          description:
            'Resources that allocations of the namespaces using this quota may use together in the region (one block per `limit`).',
        },
      },
    },
  },
};

/** `nomad var put @<file>`: a Nomad Variable, read with the HCL1 decoder. */
export const variableSpec: BlockSpec = {
  description: 'A Nomad Variable specification for `nomad var put @<file>`.',
  attributes: {
    path: {
      type: 'string',
      description: 'Path of the variable, e.g. "nomad/jobs/web". May be omitted when the command line gives the path.',
    },
    namespace: {
      type: 'string',
      description: 'Namespace of the variable (the `-namespace` flag overrides it); not "*".',
    },
    create_index: {
      type: 'number',
      description: 'Raft index at creation (as `nomad var get` prints it); ignored when writing.',
    },
    modify_index: {
      type: 'number',
      description: 'Raft index of the last change; with `nomad var put -check-index` it guards against lost updates.',
    },
    create_time: {
      type: 'number',
      description: 'Creation time in Unix nanoseconds (as `nomad var get` prints it); ignored when writing.',
    },
    modify_time: { type: 'number', description: 'Time of the last change in Unix nanoseconds; ignored when writing.' },
  },
  blocks: {
    items: {
      description:
        'The secret values as `key = "value"` pairs; Nomad encrypts them together (64 KiB at most). Required and not empty.',
      freeform: 'string',
    },
  },
};
