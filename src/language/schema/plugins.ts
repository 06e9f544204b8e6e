// The agent-side configuration of Nomad's built-in task drivers: what `plugin "<driver>" { config { … } }`
// of an agent configuration takes. Facts from each driver's plugin configuration spec in Nomad's
// source (drivers/docker/config.go, drivers/rawexec, exec, java and qemu driver.go) at v1.6.5 and later
// tags; `since` is the first minor release whose driver reads a member (the patch is named in the
// description when it came in a patch release), `until` the first that no longer does. The agent decodes
// this block strictly: an unknown key, a wrong type or a repeated block stops it at start-up, so do the
// values the drivers validate (durations, namespace modes). A plugin not listed here (a third-party
// driver such as podman) keeps an open `config`. Pure data and lookups: no `vscode` import.
import { schemaFromSpec } from './index';
import { block, bool, dur, list, num, str } from './spec';
import type { AttrSpec, BlockSchema, BlockSpec } from './types';

const DEFAULT_CAPS =
  'audit_write, chown, dac_override, fowner, fsetid, kill, mknod, net_bind_service, setfcap, setgid, setpcap, setuid, sys_chroot';

const allowCaps = (driver: string): AttrSpec =>
  list(
    `Linux capabilities that ${driver} tasks may be given (with cap_add); a task asking for any other one is refused. "all" allows every capability.${driver === 'docker' ? '' : ' A name the system does not support stops the agent.'} Default: ${DEFAULT_CAPS}.`,
  );
const isolationMode = (what: 'PID' | 'IPC', driver: string): AttrSpec =>
  str(
    `${what} namespace of ${driver} tasks that do not choose one: "private" (their own namespace) or "host" (the host's). The agent refuses any other value.`,
    { enum: ['private', 'host'], default: 'private' },
  );
const deniedIds = (what: 'user' | 'group', driver: string, since: string): AttrSpec =>
  str(
    `Host ${what} IDs that ${driver} tasks may not run as, as IDs and ranges such as "0-999,1001". Nomad ${since} and later.`,
    { since: since.split('.').slice(0, 2).join('.') },
  );

const docker: BlockSpec = {
  description: 'Agent-side settings of the docker task driver.',
  attributes: {
    endpoint: str(
      'Address of the Docker daemon, e.g. "unix:///var/run/docker.sock" or "tcp://127.0.0.1:2376". Unset: taken from the DOCKER_HOST environment, else the local socket.',
    ),
    extra_labels: list(
      'Extra Nomad metadata added to every container as labels: "job_name", "job_id", "task_group_name", "task_name", "namespace", "node_name", "node_id", or globs such as "task*" and "*".',
    ),
    allow_privileged: bool('Let tasks run privileged containers (privileged = true). Defaults to false.'),
    allow_caps: allowCaps('docker'),
    nvidia_runtime: str('Name of the Docker runtime used for tasks that get NVIDIA GPUs. Defaults to "nvidia".', {
      default: 'nvidia',
    }),
    allow_runtimes: list('Docker runtimes tasks may pick with their runtime option. Defaults to ["runc", "nvidia"].'),
    infra_image: str(
      'Image of the pause container that holds the network namespace of a group in bridge or CNI networking mode. Defaults to a pause image for the host architecture (gcr.io/google_containers/pause-<arch>:3.1 before Nomad 1.9, registry.k8s.io/pause-<arch>:3.3 from 1.9).',
    ),
    infra_image_pull_timeout: dur('How long pulling the pause image may take. Defaults to 5m.', { default: '5m' }),
    image_pull_timeout: dur(
      'Default limit on how long an image pull may take, for tasks that set none. Defaults to 5m. Nomad 1.10 and later.',
      { default: '5m', since: '1.10' },
    ),
    pull_activity_timeout: dur(
      'How long an image pull may go without progress before it is cancelled; at least 1m, else the agent refuses it. Defaults to 2m.',
      { default: '2m' },
    ),
    pids_limit: num(
      'Largest number of processes a container may have; tasks may set a lower pids_limit but not a higher one. Unset: no limit.',
    ),
    disable_log_collection: bool(
      'Do not collect the logs of containers (no log shipping to the allocation directory, `nomad alloc logs` stays empty). Defaults to false.',
    ),
    container_exists_attempts: num(
      'How many times the driver removes a container whose name is already taken and tries again before the task fails. Defaults to 5. Nomad 1.8.1 and later.',
      { default: '5', since: '1.8.1' },
    ),
    oom_score_adj: num(
      "How readily the kernel kills a container when memory runs out (positive: sooner). Defaults to 0. The driver reads it but containers take the value of their task's own oom_score_adj. Nomad 1.8.1 and later.",
      { default: '0', since: '1.8.1' },
    ),
    windows_allow_insecure_container_admin: bool(
      'On Windows, let tasks run as ContainerAdmin without Hyper-V isolation. Defaults to false. Nomad 1.8.2 and later.',
      { since: '1.8.2' },
    ),
  },
  blocks: {
    auth: block({
      description: 'Where the driver finds credentials for private registries when a task gives none.',
      attributes: {
        config: str('Path of a Docker config.json holding registry credentials (its auths and credHelpers).'),
        helper: str(
          'Docker credential helper to ask for every image, by its suffix: "ecr-login" runs docker-credential-ecr-login.',
        ),
      },
    }),
    tls: block({
      description: 'TLS files used to reach a Docker daemon over tcp.',
      attributes: {
        cert: str('Path of the client certificate (PEM).'),
        key: str("Path of the client certificate's private key (PEM)."),
        ca: str("Path of the CA certificate that signed the daemon's certificate (PEM)."),
      },
    }),
    logging: block({
      description:
        'Default Docker logging driver of containers whose task sets none. Defaults to type "json-file" with max-file "2" and max-size "2m".',
      attributes: {
        type: str(
          'Docker logging driver, e.g. "json-file", "journald", "syslog" or "fluentd". Defaults to "json-file".',
          { default: 'json-file' },
        ),
      },
      blocks: {
        config: {
          description: 'Options of the logging driver as `key = "value"` pairs, e.g. max-size = "10m".',
          freeform: 'string',
          attrSyntax: true,
        },
      },
    }),
    gc: block({
      description: 'Garbage collection of images and containers.',
      attributes: {
        image: bool('Remove an image once no task uses it (after image_delay). Defaults to true.'),
        image_delay: dur('How long an unused image is kept before it is removed. Defaults to 3m.', { default: '3m' }),
        container: bool(
          'Remove a container when its task stops. Defaults to true (keeping them is useful for debugging).',
        ),
      },
      blocks: {
        dangling_containers: block({
          description:
            'Periodic removal of containers the driver created but no longer tracks (left behind by a crash, for instance).',
          attributes: {
            enabled: bool('Look for dangling containers. Defaults to true.'),
            period: dur('How often to look. Defaults to 5m.', { default: '5m' }),
            creation_grace: dur(
              'How old a container must be before it counts as dangling; at least 1m, else the agent refuses it. Defaults to 5m.',
              { default: '5m' },
            ),
            dry_run: bool('Only log the containers that would be removed. Defaults to false.'),
          },
        }),
      },
    }),
    volumes: block({
      description: 'Whether tasks may mount host paths and use Docker volume drivers.',
      attributes: {
        enabled: bool(
          'Allow host paths outside the allocation directory in task volumes and volume drivers in mounts. Defaults to false.',
        ),
        selinuxlabel: str('SELinux label added to every bind mount, e.g. "z" (shared) or "Z" (private).'),
      },
    }),
    allowed_modes: block({
      description:
        'Namespace modes tasks may choose (pid_mode, ipc_mode, userns_mode, uts_mode). Nomad 2.0.4 and later.',
      since: '2.0.4',
      attributes: {
        pid: list('pid_mode values tasks may use, e.g. ["private", "host"].'),
        ipc: list('ipc_mode values tasks may use, e.g. ["private", "shareable"].'),
        userns: list('userns_mode values tasks may use, e.g. ["host"].'),
        uts: list('uts_mode values tasks may use, e.g. ["host"].'),
      },
    }),
  },
};

const rawExec: BlockSpec = {
  description: "Agent-side settings of the raw_exec task driver (commands run as the agent's user, without isolation).",
  attributes: {
    enabled: bool('Turn the driver on; it is off unless set. Defaults to false.'),
    no_cgroups: bool(
      'Do not put tasks in cgroups (their processes are then not all stopped reliably). Defaults to false. Removed in Nomad 1.8, which refuses it.',
      { until: '1.8' },
    ),
    denied_host_uids: deniedIds('user', 'raw_exec', '1.9.2'),
    denied_host_gids: deniedIds('group', 'raw_exec', '1.9.2'),
    denied_envvars: list(
      'Environment variables removed from the environment of every task, e.g. ["AWS_*"]. Nomad 1.10 and later.',
      { since: '1.10' },
    ),
  },
};

const exec: BlockSpec = {
  description: 'Agent-side settings of the exec task driver (isolated with Linux namespaces, cgroups and a chroot).',
  attributes: {
    no_pivot_root: bool(
      'Start tasks without pivot_root (needed when the task directory is on a ramdisk). Defaults to false.',
    ),
    default_pid_mode: isolationMode('PID', 'exec'),
    default_ipc_mode: isolationMode('IPC', 'exec'),
    allow_caps: allowCaps('exec'),
    denied_host_uids: deniedIds('user', 'exec', '1.9.2'),
    denied_host_gids: deniedIds('group', 'exec', '1.9.2'),
  },
};

const java: BlockSpec = {
  description: 'Agent-side settings of the java task driver.',
  attributes: {
    default_pid_mode: isolationMode('PID', 'java'),
    default_ipc_mode: isolationMode('IPC', 'java'),
    allow_caps: allowCaps('java'),
  },
};

const qemu: BlockSpec = {
  description: 'Agent-side settings of the qemu task driver.',
  attributes: {
    image_paths: list('Host directories from which tasks may load VM images, besides their allocation directory.'),
    args_allowlist: list('QEMU arguments tasks may pass (e.g. ["-drive", "-usbdevice"]); unset: any.'),
    emulators_allowlist: list(
      'QEMU emulator binaries tasks may use, e.g. ["qemu-system-x86_64"]; unset: any. Nomad 1.11.2 and later.',
      { since: '1.11.2' },
    ),
  },
};

const SPECS: ReadonlyMap<string, BlockSpec> = new Map([
  ['docker', docker],
  ['raw_exec', rawExec],
  ['exec', exec],
  ['java', java],
  ['qemu', qemu],
]);

/** The built-in task drivers whose agent-side config we know. */
export function builtinPluginNames(): string[] {
  return [...SPECS.keys()];
}

/** Schema ids of the plugin configs start with this (`PluginConfig:docker`, `PluginConfig:docker.gc` …). */
export const PLUGIN_CONFIG_ID = 'PluginConfig:';

const configs = new Map<string, BlockSchema>();
/** Schema of `config { … }` inside `plugin "<name>"`, or undefined for a plugin we do not know. */
export function pluginConfigSchema(name: string): BlockSchema | undefined {
  let s = configs.get(name);
  if (!s) {
    const spec = SPECS.get(name);
    if (!spec) return undefined;
    s = schemaFromSpec(`${PLUGIN_CONFIG_ID}${name}`, 'config', { ...spec, attrSyntax: true });
    configs.set(name, s);
  }
  return s;
}

/** Ids of the blocks inside plugin configs (each may appear once: the agent refuses a second one). */
export function pluginConfigBlockIds(): Set<string> {
  const out = new Set<string>();
  const walk = (s: BlockSchema): void => {
    for (const b of s.blocks.values()) {
      out.add(b.id);
      walk(b);
    }
  };
  for (const name of SPECS.keys()) walk(pluginConfigSchema(name)!);
  return out;
}

const plugins = new Map<string, BlockSchema>();
/**
 * The schema of an agent's `plugin "<label>"` block whose `config` is the driver's own, or undefined
 * when `schema` is not the agent's plugin block or the label names no built-in driver.
 */
export function pluginSchemaFor(schema: BlockSchema, label: string | undefined): BlockSchema | undefined {
  if (schema.id !== 'Agent.plugin' || label === undefined) return undefined;
  const config = pluginConfigSchema(label);
  if (!config) return undefined;
  let s = plugins.get(label);
  if (!s || s.blocks.get('config') !== config) {
    const blocks = new Map(schema.blocks);
    blocks.set('config', config);
    s = {
      id: schema.id,
      name: schema.name,
      labels: schema.labels,
      multiple: schema.multiple,
      attrSyntax: schema.attrSyntax,
      open: schema.open,
      driverConfig: false,
      requiredAttributes: schema.requiredAttributes,
      description: `${schema.description} Here: the built-in ${label} task driver.`,
      attributes: schema.attributes,
      blocks,
    };
    plugins.set(label, s);
  }
  return s;
}
