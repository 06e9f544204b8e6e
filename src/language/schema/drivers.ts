// Task `config` bodies of the common task drivers. Names and types follow each driver's
// config spec (Nomad v1.6.5 drivers; nomad-driver-podman for podman); the prose is ours.
// Attributes the spec types as list(map(...)) are usually written as blocks in HCL2
// (`labels { ... }`), so they are described here as blocks. The config body reaches the driver
// as one value, so every nested block may also be written in attribute form (`mounts = [{...}]`);
// the loader marks them so.
import { bool, kv as keyValues, list, num, str } from './spec';
import type { BlockSpec } from './types';

/** Driver configs reach the driver as one value: a key/value block may be repeated (its maps merge). */
const kv = (description: string, type: 'string' | 'number' = 'string'): BlockSpec =>
  keyValues(description, { freeform: type, multiple: true });

const isolation = {
  pid_mode: str('"private" (the default) gives the task its own PID namespace; "host" shares the host\'s.', {
    enum: ['private', 'host'],
  }),
  ipc_mode: str('"private" (the default) gives the task its own IPC namespace; "host" shares the host\'s.', {
    enum: ['private', 'host'],
  }),
  cap_add: list("Linux capabilities to add to the task, limited by the client's allow_caps."),
  cap_drop: list('Linux capabilities to remove from the task, e.g. ["all"].'),
};

const dockerMount: BlockSpec = {
  description: 'A Docker mount (bind, volume or tmpfs) for the container.',
  multiple: true,
  attributes: {
    type: str('Mount type: "volume" (the default), "bind" or "tmpfs".', {
      enum: ['volume', 'bind', 'tmpfs'],
      default: 'volume',
    }),
    target: str('Path inside the container.'),
    source: str('Volume name or host path (relative paths are resolved against the task directory).'),
    readonly: bool('Mount read-only. Defaults to false.'),
  },
  blocks: {
    bind_options: {
      description: 'Options for bind mounts.',
      attributes: { propagation: str('Bind propagation, e.g. "rprivate" or "rshared".') },
    },
    tmpfs_options: {
      description: 'Options for tmpfs mounts.',
      attributes: {
        size: num('Size of the tmpfs in bytes.'),
        mode: num('File mode of the tmpfs, e.g. 1777 (octal written as a number).'),
      },
    },
    volume_options: {
      description: 'Options for volume mounts.',
      attributes: { no_copy: bool("Do not copy the image's data into a new volume. Defaults to false.") },
      blocks: {
        labels: kv('Labels set on the volume.'),
        driver_config: {
          description: 'Volume driver to use and its options.',
          attributes: { name: str('Name of the Docker volume driver.') },
          blocks: { options: kv('Options passed to the volume driver.') },
        },
      },
    },
  },
};

export const driverConfigs: Record<string, BlockSpec> = {
  docker: {
    description: 'Configuration of the docker driver: the image to run and how the container is created.',
    attributes: {
      image: str('Image to run, e.g. "redis:7". Required.', { required: true }),
      advertise_ipv6_address: bool(
        "Advertise the container's IPv6 address for services and checks. Defaults to false.",
      ),
      args: list('Arguments passed to the command or entrypoint.'),
      auth_soft_fail: bool('Continue without credentials when registry authentication fails. Defaults to false.'),
      cap_add: isolation.cap_add,
      cap_drop: isolation.cap_drop,
      command: str("Command to run, overriding the image's CMD."),
      cpuset_cpus: str('CPUs the container may use, in cpuset syntax such as "0-2,4".'),
      cpu_hard_limit: bool('Enforce the CPU reservation as a hard limit instead of shares. Defaults to false.'),
      cpu_cfs_period: num('CFS period in microseconds used with cpu_hard_limit. Defaults to 100000.', {
        default: '100000',
      }),
      dns_search_domains: list('DNS search domains for the container.'),
      dns_options: list('resolv.conf options for the container.'),
      dns_servers: list('DNS servers for the container.'),
      entrypoint: list("Entrypoint overriding the image's ENTRYPOINT."),
      extra_hosts: list('Additional /etc/hosts entries as "host:ip".'),
      force_pull: bool('Pull the image even if it is present locally. Defaults to false.'),
      group_add: list('Additional groups for the container user.'),
      hostname: str('Host name of the container.'),
      init: bool('Run an init process (tini) as PID 1 in the container. Defaults to false.'),
      interactive: bool('Keep stdin open. Defaults to false.'),
      ipc_mode: str('IPC mode of the container, e.g. "host" or "none".'),
      ipv4_address: str('Static IPv4 address on a user-defined network.'),
      ipv6_address: str('Static IPv6 address on a user-defined network.'),
      isolation: str('Windows isolation technology: "process" or "hyperv".', { enum: ['process', 'hyperv'] }),
      load: str('Image tarball (downloaded as an artifact) to load instead of pulling.'),
      mac_address: str('MAC address of the container.'),
      memory_hard_limit: num('Hard memory limit in MB; the memory resource then acts as a soft limit.'),
      network_aliases: list('Aliases of the container on a user-defined network.'),
      network_mode: str('Docker network mode: "bridge", "host", "none", "container:<name>" or a network name.', {
        enum: ['bridge', 'host', 'none'],
        enumOpen: true,
      }),
      runtime: str('OCI runtime, e.g. "runc" or "nvidia", if allowed by the client.'),
      pids_limit: num('Maximum number of processes in the container.'),
      pid_mode: str('PID mode of the container, e.g. "host".'),
      ports: list('Port labels from the group network block to publish into the container.'),
      privileged: bool('Run the container privileged (needs allow_privileged on the client). Defaults to false.'),
      image_pull_timeout: str('Give up pulling the image after this long. Defaults to "5m".', { default: '5m' }),
      readonly_rootfs: bool("Mount the container's root file system read-only. Defaults to false."),
      security_opt: list('Docker security options, e.g. ["no-new-privileges"].'),
      shm_size: num('Size of /dev/shm in bytes.'),
      tty: bool('Allocate a pseudo-terminal. Defaults to false.'),
      uts_mode: str('UTS namespace mode, e.g. "host".'),
      userns_mode: str('User namespace mode, e.g. "host".'),
      volumes: list(
        'Bind mounts as "host_path:container_path[:options]" (relative host paths are inside the task directory).',
      ),
      volume_driver: str('Volume driver used for named volumes.'),
      work_dir: str('Working directory inside the container.'),
    },
    blocks: {
      auth: {
        description: 'Registry credentials for pulling the image.',
        attributes: {
          username: str('Registry user name.'),
          password: str('Registry password.'),
          email: str('E-mail of the registry account.'),
          server_address: str('Registry address.'),
        },
      },
      devices: {
        description: 'A host device to expose in the container.',
        multiple: true,
        attributes: {
          host_path: str('Device path on the host.'),
          container_path: str('Device path in the container.'),
          cgroup_permissions: str('Permissions: any combination of "r", "w" and "m". Defaults to "rwm".'),
        },
      },
      healthchecks: {
        description: "Controls the image's own HEALTHCHECK.",
        attributes: { disable: bool("Turn the image's health check off. Defaults to false.") },
      },
      labels: kv('Docker labels set on the container.'),
      logging: {
        description: "Docker logging driver of the container. Nomad's own log collection only works with the default.",
        attributes: {
          type: str('Logging driver, e.g. "json-file", "journald" or "fluentd".'),
          driver: str('Alternative name of type.'),
        },
        blocks: { config: kv('Options of the logging driver.') },
      },
      mount: dockerMount,
      mounts: { ...dockerMount, description: 'Older spelling of mount; a Docker mount for the container.' },
      port_map: kv(
        'Deprecated: maps port labels to container ports. Use the group network block with "to" and the ports list.',
        'number',
      ),
      storage_opt: { description: 'Storage driver options, e.g. size.', attrSyntax: true, freeform: 'string' },
      sysctl: kv('Kernel parameters set in the container.'),
      ulimit: kv('Resource limits (ulimit) of the container, e.g. nofile = "2048:4096".'),
    },
  },
  exec: {
    description: 'Configuration of the exec driver: a command run in an isolated chroot with cgroups.',
    attributes: {
      command: str("Command to run (inside the task's chroot). Required.", { required: true }),
      args: list('Arguments of the command.'),
      ...isolation,
    },
  },
  raw_exec: {
    description: 'Configuration of the raw_exec driver: a command run directly on the host without isolation.',
    attributes: {
      command: str('Command to run on the host. Required.', { required: true }),
      args: list('Arguments of the command.'),
    },
  },
  java: {
    description: "Configuration of the java driver: a JAR or class run with the client's JVM.",
    attributes: {
      class: str('Main class to run (used instead of jar_path).'),
      class_path: str('Class path used with class.'),
      jar_path: str('Path of the JAR file, usually fetched with an artifact.'),
      jvm_options: list('Options passed to the JVM, e.g. ["-Xmx512m"].'),
      args: list('Arguments passed to the program.'),
      ...isolation,
    },
  },
  qemu: {
    description: 'Configuration of the qemu driver: a virtual machine image.',
    attributes: {
      image_path: str('Path of the VM image, usually fetched with an artifact. Required.', { required: true }),
      drive_interface: str('Drive interface, e.g. "ide", "scsi" or "virtio". Defaults to "ide".', {
        enum: ['ide', 'scsi', 'sd', 'mtd', 'floppy', 'pflash', 'virtio', 'none'],
        default: 'ide',
      }),
      accelerator: str('Accelerator, e.g. "tcg" (the default) or "kvm".', { default: 'tcg' }),
      graceful_shutdown: bool('Shut the VM down through the QEMU monitor instead of killing it. Defaults to false.'),
      guest_agent: bool('Enable the QEMU guest agent socket. Defaults to false.'),
      args: list('Extra arguments for the qemu command line.'),
    },
    blocks: {
      port_map: kv('Deprecated: maps port labels to guest ports. Use the group network block with "to".', 'number'),
    },
  },
  podman: {
    description: 'Configuration of the podman task driver plugin: a container run with Podman.',
    attributes: {
      image: str('Image to run, e.g. "docker://redis:7". Required.', { required: true }),
      command: str('Command to run, overriding the image default.'),
      args: list('Arguments of the command.'),
      entrypoint: list("Entrypoint overriding the image's."),
      working_dir: str('Working directory inside the container.'),
      ports: list('Port labels from the group network block to publish.'),
      volumes: list('Bind mounts as "host_path:container_path[:options]".'),
      network_mode: str(
        'Network mode: "bridge", "host", "none", "slirp4netns", "container:<id>", "task:<name>" or a network name.',
        { enumOpen: true, enum: ['bridge', 'host', 'none', 'slirp4netns'] },
      ),
      hostname: str('Host name of the container.'),
      memory_reservation: str('Soft memory limit, e.g. "100m".'),
      memory_swap: str('Memory plus swap limit, e.g. "200m".'),
      memory_swappiness: num('Swappiness of the container, 0 to 100.'),
      tty: bool('Allocate a pseudo-terminal. Defaults to false.'),
      privileged: bool('Run the container privileged. Defaults to false.'),
      init: bool('Run an init process as PID 1. Defaults to false.'),
      init_path: str('Path of the init binary.'),
      force_pull: bool('Always pull the image. Defaults to false.'),
      auth_soft_fail: bool('Continue without credentials when registry authentication fails. Defaults to false.'),
      image_pull_timeout: str('Give up pulling the image after this long. Defaults to "5m".'),
      readonly_rootfs: bool('Mount the root file system read-only. Defaults to false.'),
      cap_add: list('Linux capabilities to add.'),
      cap_drop: list('Linux capabilities to drop.'),
      dns: list('DNS servers for the container.'),
      extra_hosts: list('Additional /etc/hosts entries as "host:ip".'),
      security_opt: list('Security options for the container.'),
      userns: str('User namespace mode, e.g. "keep-id".'),
      pids_limit: num('Maximum number of processes.'),
      shm_size: str('Size of /dev/shm, e.g. "64m".'),
      cpu_hard_limit: bool('Enforce the CPU reservation as a hard limit. Defaults to false.'),
      cpu_cfs_period: num('CFS period in microseconds used with cpu_hard_limit.'),
      socket: str('Name of the Podman socket (from the plugin configuration) to use. Defaults to "default".'),
      apparmor_profile: str('AppArmor profile of the container.'),
      devices: list('Host devices to expose, as "host_path[:container_path[:permissions]]".'),
      tmpfs: list('Paths to mount as tmpfs.'),
      selinux_opts: list('SELinux options of the container.'),
    },
    blocks: {
      auth: {
        description: 'Registry credentials for pulling the image.',
        attributes: {
          username: str('Registry user name.'),
          password: str('Registry password.'),
          tls_verify: bool("Verify the registry's TLS certificate. Defaults to true."),
        },
      },
      logging: {
        description: 'Log driver of the container: "nomad" (the default) or "journald".',
        attributes: { driver: str('Log driver.', { enum: ['nomad', 'journald'] }) },
        blocks: { options: kv('Options of the log driver.') },
      },
      labels: kv('Labels set on the container.'),
      sysctl: kv('Kernel parameters set in the container.'),
      ulimit: kv('Resource limits of the container.'),
      port_map: kv('Deprecated: maps port labels to container ports. Use the group network block with "to".', 'number'),
    },
  },
};
