// What a job can refer to inside `${…}` that Nomad fills in when it places or starts the work, not when it
// reads the job: the node's identity (`${node.…}`), the attributes its client fingerprinted (`${attr.…}`),
// its client meta (`${meta.…}`) and the task's runtime environment (`${NOMAD_…}`). The names are facts read
// from Nomad 1.6.5's source (client/taskenv/env.go, scheduler/feasible.go's constraint targets, the
// fingerprinters under client/fingerprint and the task drivers' fingerprints); the descriptions are ours.
// Pure data: no `vscode` import.

export interface RuntimeName {
  /** the name after its prefix: `unique.name` for `${node.unique.name}`, `NOMAD_ALLOC_DIR`, `NOMAD_PORT_` */
  name: string;
  description: string;
  /** the name is a prefix completed by a label or key of the job: NOMAD_PORT_<label>, NOMAD_META_<key> */
  suffix?: 'port label' | 'meta key' | 'upstream name' | 'driver name';
  /** an example of a value, for hover */
  example?: string;
}

/** `${node.<name>}`. Task settings and constraints do not resolve quite the same set: each says where it works. */
export const nodeVariables: readonly RuntimeName[] = [
  {
    name: 'unique.id',
    description: "The client node's ID, a UUID that stays with the node for its life.",
    example: '9afa5da1-8f39-25a2-48dc-ba31fd7c0023',
  },
  {
    name: 'unique.name',
    description: "The client node's name (its `name` setting, by default the host name).",
    example: 'client-1',
  },
  { name: 'datacenter', description: 'The datacenter the client node is in.', example: 'dc1' },
  {
    name: 'region',
    description:
      "The region of the client node. Filled in inside task settings; a constraint cannot test it (use the job's `region`).",
    example: 'global',
  },
  { name: 'class', description: "The client node's `node_class`, empty when it has none.", example: 'gpu' },
  {
    name: 'pool',
    description:
      'The node pool the client node belongs to. Usable as a constraint or affinity target; task settings do not fill it in.',
    example: 'default',
  },
];

/** `${attr.<name>}`: what the client fingerprinted at start (and refreshes). Absent when the fingerprint found nothing. */
export const nodeAttributes: readonly RuntimeName[] = [
  { name: 'cpu.arch', description: 'CPU architecture as Go names it.', example: 'amd64' },
  { name: 'cpu.modelname', description: 'The CPU model string the host reports.' },
  {
    name: 'cpu.numcores',
    description: 'How many CPU cores the host has (performance cores on hybrid CPUs).',
    example: '8',
  },
  { name: 'cpu.numcores.power', description: 'Performance cores of a hybrid CPU.' },
  { name: 'cpu.numcores.efficiency', description: 'Efficiency cores of a hybrid CPU.' },
  {
    name: 'cpu.reservablecores',
    description: "Cores that tasks may reserve with `resources { cores = … }` (after the client's reserved cores).",
    example: '8',
  },
  { name: 'cpu.frequency', description: 'CPU clock in MHz.', example: '2400' },
  { name: 'cpu.frequency.power', description: 'Clock in MHz of the performance cores of a hybrid CPU.' },
  { name: 'cpu.frequency.efficiency', description: 'Clock in MHz of the efficiency cores of a hybrid CPU.' },
  {
    name: 'cpu.totalcompute',
    description: 'The CPU the node offers, in MHz: cores × clock unless the client overrides it.',
    example: '19200',
  },
  { name: 'memory.totalbytes', description: 'Physical memory of the host, in bytes.', example: '16777216000' },
  { name: 'kernel.name', description: 'The operating system family as Go names it.', example: 'linux' },
  { name: 'kernel.arch', description: "The kernel's machine architecture.", example: 'x86_64' },
  { name: 'kernel.version', description: 'The kernel release.', example: '6.1.0-13-amd64' },
  { name: 'kernel.landlock', description: 'The Landlock ABI the Linux kernel offers, when it has Landlock.' },
  { name: 'os.name', description: 'The distribution or platform name.', example: 'debian' },
  { name: 'os.version', description: 'The distribution or platform version.', example: '12.4' },
  { name: 'os.build', description: 'The build number of Windows hosts.' },
  { name: 'os.signals', description: 'Comma-separated signals the client can send to tasks.' },
  { name: 'unique.hostname', description: 'The host name of the client machine.' },
  {
    name: 'unique.network.ip-address',
    description: 'The IP address the client found for its network and gives task ports from.',
    example: '10.0.0.12',
  },
  { name: 'unique.storage.volume', description: "The device holding the client's data directory." },
  {
    name: 'unique.storage.bytestotal',
    description: "Size of the volume holding the client's data directory, in bytes.",
  },
  {
    name: 'unique.storage.bytesfree',
    description: "Free space on the volume holding the client's data directory, in bytes.",
  },
  { name: 'unique.cgroup.mountpoint', description: 'Where the cgroup file system is mounted (Linux).' },
  { name: 'unique.cgroup.version', description: 'Which cgroup hierarchy the host uses: `v1` or `v2` (Linux).' },
  { name: 'nomad.version', description: 'The Nomad version of the client agent.', example: '1.6.5' },
  { name: 'nomad.revision', description: 'The git revision the client agent was built from.' },
  { name: 'nomad.advertise.address', description: 'The HTTP address the client agent advertises.' },
  { name: 'nomad.service_discovery', description: '"true" when the client registers Nomad-native services.' },
  {
    name: 'nomad.bridge.hairpin_mode',
    description: 'Whether the bridge network lets an allocation reach itself through its own published ports.',
  },
  { name: 'consul.version', description: 'Version of the Consul agent the client talks to.' },
  { name: 'consul.revision', description: 'Git revision of that Consul agent.' },
  { name: 'consul.datacenter', description: 'The Consul datacenter of that agent.' },
  { name: 'consul.server', description: '"true" when that Consul agent is a server.' },
  { name: 'consul.sku', description: "Consul's edition: `oss` or `ent`." },
  { name: 'consul.segment', description: 'The Consul network segment of the agent (Enterprise).' },
  { name: 'consul.connect', description: '"true" when Consul service mesh (Connect) is on.' },
  { name: 'consul.grpc', description: 'The gRPC port of the Consul agent, used by service mesh sidecars.' },
  { name: 'consul.ft.namespaces', description: '"true" when the Consul agent supports namespaces.' },
  { name: 'unique.consul.name', description: 'The node name of the Consul agent.' },
  { name: 'vault.accessible', description: '"true" when the client can reach Vault.' },
  { name: 'vault.version', description: 'Version of the Vault the client reaches.' },
  { name: 'vault.cluster_id', description: 'ID of that Vault cluster.' },
  { name: 'vault.cluster_name', description: 'Name of that Vault cluster.' },
  {
    name: 'driver.',
    suffix: 'driver name',
    description:
      'Set to "1" (or "true") on nodes where that task driver is detected and healthy: `${attr.driver.docker}`.',
  },
  { name: 'driver.docker.version', description: 'Version of the Docker engine.' },
  { name: 'driver.docker.runtimes', description: 'Comma-separated container runtimes Docker offers.' },
  { name: 'driver.docker.os_type', description: 'The OS type of the Docker engine: `linux` or `windows`.' },
  { name: 'driver.docker.bridge_ip', description: "Address of Docker's default bridge." },
  { name: 'driver.docker.privileged.enabled', description: 'Whether the docker plugin allows privileged containers.' },
  { name: 'driver.docker.volumes.enabled', description: 'Whether the docker plugin allows host volumes in `volumes`.' },
  { name: 'driver.java.version', description: 'Version of the Java runtime.' },
  { name: 'driver.java.runtime', description: "The Java runtime's name and build." },
  { name: 'driver.java.vm', description: "The Java virtual machine's name and build." },
  { name: 'driver.qemu.version', description: 'Version of QEMU.' },
  { name: 'platform.aws.ami-id', description: 'The AMI the EC2 instance was started from (on AWS).' },
  { name: 'platform.aws.instance-type', description: 'The EC2 instance type (on AWS).', example: 'm5.large' },
  {
    name: 'platform.aws.instance-life-cycle',
    description: 'How the EC2 instance is bought: `spot` or `on-demand` (on AWS).',
  },
  {
    name: 'platform.aws.placement.availability-zone',
    description: 'The EC2 availability zone (on AWS).',
    example: 'us-east-1a',
  },
  { name: 'unique.platform.aws.instance-id', description: 'The EC2 instance ID (on AWS).' },
  { name: 'unique.platform.aws.hostname', description: "The instance's host name in EC2 (on AWS)." },
  { name: 'unique.platform.aws.local-hostname', description: "The instance's private DNS name (on AWS)." },
  { name: 'unique.platform.aws.local-ipv4', description: "The instance's private IPv4 address (on AWS)." },
  { name: 'unique.platform.aws.public-hostname', description: "The instance's public DNS name (on AWS)." },
  { name: 'unique.platform.aws.public-ipv4', description: "The instance's public IPv4 address (on AWS)." },
  { name: 'unique.platform.aws.public-ipv6', description: "The instance's IPv6 address (on AWS)." },
  { name: 'unique.platform.aws.mac', description: "The MAC address of the instance's first interface (on AWS)." },
  { name: 'platform.gce.machine-type', description: 'The machine type (on Google Cloud).' },
  { name: 'platform.gce.zone', description: 'The zone (on Google Cloud).' },
  { name: 'platform.gce.cpu-platform', description: 'The CPU platform of the VM (on Google Cloud).' },
  { name: 'unique.platform.gce.id', description: "The VM's instance ID (on Google Cloud)." },
  { name: 'unique.platform.gce.hostname', description: "The VM's host name (on Google Cloud)." },
  { name: 'platform.azure.location', description: 'The region of the VM (on Azure).' },
  { name: 'platform.azure.vm-size', description: 'The VM size (on Azure).' },
  { name: 'platform.azure.zone', description: 'The availability zone of the VM (on Azure).' },
  { name: 'platform.azure.resource-group', description: 'The resource group of the VM (on Azure).' },
  { name: 'platform.azure.scale-set', description: 'The scale set the VM belongs to (on Azure).' },
  { name: 'unique.platform.azure.id', description: 'The VM ID (on Azure).' },
  { name: 'unique.platform.azure.name', description: 'The VM name (on Azure).' },
  { name: 'unique.platform.azure.local-ipv4', description: "The VM's private IPv4 address (on Azure)." },
  { name: 'unique.platform.azure.public-ipv4', description: "The VM's public IPv4 address (on Azure)." },
  { name: 'unique.platform.digitalocean.id', description: 'The droplet ID (on DigitalOcean).' },
  {
    name: 'unique.platform.digitalocean.local-ipv4',
    description: "The droplet's private IPv4 address (on DigitalOcean).",
  },
];

/** `${NOMAD_…}`: the task's runtime environment, also usable inside task settings (config, env, templates …). */
export const runtimeEnvironment: readonly RuntimeName[] = [
  { name: 'NOMAD_ALLOC_DIR', description: 'Path of the directory every task of the allocation shares (`alloc/`).' },
  { name: 'NOMAD_TASK_DIR', description: "Path of this task's private `local/` directory." },
  {
    name: 'NOMAD_SECRETS_DIR',
    description:
      "Path of this task's `secrets/` directory (in memory where the OS allows, not readable by other tasks).",
  },
  { name: 'NOMAD_ALLOC_ID', description: "The allocation's ID (a UUID)." },
  { name: 'NOMAD_SHORT_ALLOC_ID', description: "The first 8 characters of the allocation's ID." },
  { name: 'NOMAD_ALLOC_NAME', description: "The allocation's name: `<job>.<group>[<index>]`.", example: 'web.api[0]' },
  {
    name: 'NOMAD_ALLOC_INDEX',
    description: "The allocation's index within its group, from 0 to count − 1.",
    example: '0',
  },
  { name: 'NOMAD_TASK_NAME', description: "The task's name." },
  { name: 'NOMAD_GROUP_NAME', description: "The task group's name." },
  { name: 'NOMAD_JOB_ID', description: "The job's ID (for a dispatched or periodic child, the child's)." },
  { name: 'NOMAD_JOB_NAME', description: "The job's name." },
  {
    name: 'NOMAD_JOB_PARENT_ID',
    description: "The parent job's ID for dispatched and periodic children; empty otherwise.",
  },
  { name: 'NOMAD_NAMESPACE', description: "The job's namespace." },
  { name: 'NOMAD_REGION', description: "The job's region." },
  { name: 'NOMAD_DC', description: 'The datacenter of the node the task runs on.' },
  { name: 'NOMAD_CPU_LIMIT', description: 'The CPU the task may use, in MHz.' },
  {
    name: 'NOMAD_CPU_CORES',
    description: 'The cores reserved for the task (with `resources { cores = … }`), as a cpuset list.',
  },
  { name: 'NOMAD_MEMORY_LIMIT', description: 'The memory reserved for the task, in MiB.' },
  {
    name: 'NOMAD_MEMORY_MAX_LIMIT',
    description: 'The memory the task may burst to (`memory_max`), in MiB; absent without one.',
  },
  { name: 'NOMAD_PARENT_CGROUP', description: "The cgroup under which the task's cgroup is made (Linux)." },
  {
    name: 'NOMAD_TOKEN',
    description: "The task's workload identity token, when its `identity` block asks for it in the environment.",
  },
  {
    name: 'NOMAD_PORT_',
    suffix: 'port label',
    description: 'The port the task listens on for that label: the `to` port when one is mapped, else the host port.',
  },
  { name: 'NOMAD_HOST_PORT_', suffix: 'port label', description: 'The port on the host for that label.' },
  {
    name: 'NOMAD_ALLOC_PORT_',
    suffix: 'port label',
    description: "The port inside the allocation's network namespace for that label.",
  },
  { name: 'NOMAD_IP_', suffix: 'port label', description: 'The IP address of that port.' },
  { name: 'NOMAD_HOST_IP_', suffix: 'port label', description: 'The host IP address of that port.' },
  { name: 'NOMAD_ADDR_', suffix: 'port label', description: 'IP and port of that label, as `ip:port`.' },
  { name: 'NOMAD_HOST_ADDR_', suffix: 'port label', description: 'Host IP and host port of that label, as `ip:port`.' },
  {
    name: 'NOMAD_META_',
    suffix: 'meta key',
    description: "The value of that key of the job's, group's or task's `meta` (the most specific wins).",
  },
  {
    name: 'NOMAD_UPSTREAM_ADDR_',
    suffix: 'upstream name',
    description: 'Address (`ip:port`) of that Consul service mesh upstream.',
  },
  { name: 'NOMAD_UPSTREAM_IP_', suffix: 'upstream name', description: 'IP of that Consul service mesh upstream.' },
  {
    name: 'NOMAD_UPSTREAM_PORT_',
    suffix: 'upstream name',
    description: 'Local port of that Consul service mesh upstream.',
  },
];

/** The roots a `${…}` can start with that Nomad resolves at run time. */
export type RuntimeRoot = 'node' | 'attr' | 'meta' | 'env';

/** What `${<text>}` refers to, when it is one of the runtime names: for hover. */
export function runtimeName(text: string): { root: RuntimeRoot; entry?: RuntimeName; key: string } | undefined {
  const dot = text.indexOf('.');
  const root = dot < 0 ? text : text.slice(0, dot);
  const rest = dot < 0 ? '' : text.slice(dot + 1);
  if (root === 'node') return { root, key: rest, ...withEntry(nodeVariables.find(v => v.name === rest)) };
  if (root === 'attr') {
    const exact = nodeAttributes.find(v => v.name === rest);
    const prefix =
      exact ??
      nodeAttributes.find(v => v.suffix && rest.startsWith(v.name) && !rest.slice(v.name.length).includes('.'));
    return { root, key: rest, ...withEntry(prefix) };
  }
  if (root === 'meta') return { root, key: rest };
  if (dot < 0 && /^NOMAD_[A-Z0-9_]/.test(text)) {
    const exact = runtimeEnvironment.find(v => v.name === text);
    const prefix =
      exact ??
      runtimeEnvironment
        .filter(v => v.suffix && text.startsWith(v.name))
        .sort((a, b) => b.name.length - a.name.length)[0];
    return { root: 'env', key: text, ...withEntry(prefix) };
  }
  return undefined;
}

function withEntry(e: RuntimeName | undefined): { entry?: RuntimeName } {
  return e ? { entry: e } : {};
}
