// Jobs that use a field (or a shape) newer than Nomad 1.6.5, each with the same job without it: judged by a
// real agent in versionsAgent.test.ts (which captures the verdicts with CAPTURE_VERSIONS=1 into
// test/fixtures/nomad/versions/) and, from those captured verdicts, without an agent in versionsCaptured.test.ts.

export const task = (body: string, group = '', job = ''): string =>
  `job "versions" {\n${job}  group "g" {\n${group}    task "t" {\n      driver = "docker"\n      config {\n        image = "nginx"\n      }\n${body}\n    }\n  }\n}\n`;

export interface Case {
  what: string;
  /** the job with the newer field */
  job: string;
  /** the same job without it */
  without: string;
  /** the release that added it (or accepts it) */
  since: string;
  /** how Nomad words its refusal */
  nomad: RegExp;
  /** Nomad refuses it when parsing (a line number comes with it) or when validating */
  at: 'parse' | 'validate';
}

const IDENTITY = '      identity {\n        env = true\n      }';
export const CASES: Case[] = [
  {
    what: 'job ui',
    job: task('', '', '  ui {\n    description = "x"\n  }\n'),
    without: task(''),
    since: '1.8.0',
    at: 'parse',
    nomad: /Blocks of type "ui" are not expected here/,
  },
  {
    what: 'task action',
    job: task('      action "hi" {\n        command = "echo"\n      }'),
    without: task(''),
    since: '1.7.0',
    at: 'parse',
    nomad: /Blocks of type "action" are not expected here/,
  },
  {
    what: 'identity name/aud',
    job: task('      identity {\n        name = "vault_default"\n        aud  = ["vault.io"]\n      }'),
    without: task(IDENTITY),
    since: '1.7.0',
    at: 'parse',
    nomad: /An argument named "name" is not expected here/,
  },
  {
    what: 'identity ttl',
    job: task('      identity {\n        env = true\n        ttl = "1h"\n      }'),
    without: task(IDENTITY),
    since: '1.7.0',
    at: 'parse',
    nomad: /An argument named "ttl" is not expected here/,
  },
  {
    what: 'several identities',
    job: task(`${IDENTITY}\n      identity {\n        file = true\n      }`),
    without: task(IDENTITY),
    since: '1.7.0',
    at: 'parse',
    nomad: /Duplicate identity block/,
  },
  {
    what: 'task consul',
    job: task('      consul {\n        namespace = "x"\n      }'),
    without: task(''),
    since: '1.7.0',
    at: 'parse',
    nomad: /Blocks of type "consul" are not expected here/,
  },
  {
    what: 'group max_run_duration',
    job: task('', '    max_run_duration = "1h"\n', '  type = "batch"\n'),
    without: task('', '', '  type = "batch"\n'),
    since: '2.0.3',
    at: 'parse',
    nomad: /An argument named "max_run_duration" is not expected here/,
  },
  {
    what: 'volume sticky',
    job: task('', '    volume "data" {\n      type   = "host"\n      source = "data"\n      sticky = true\n    }\n'),
    without: task('', '    volume "data" {\n      type   = "host"\n      source = "data"\n    }\n'),
    since: '1.10.0',
    at: 'parse',
    nomad: /An argument named "sticky" is not expected here/,
  },
  {
    what: 'network cni',
    job: task(
      '',
      '    network {\n      mode = "bridge"\n      cni {\n        args = {\n          a = "b"\n        }\n      }\n    }\n',
    ),
    without: task('', '    network {\n      mode = "bridge"\n    }\n'),
    since: '1.8.2',
    at: 'parse',
    nomad: /Blocks of type "cni" are not expected here/,
  },
  {
    what: 'transparent_proxy',
    job: task(
      '',
      '    network {\n      mode = "bridge"\n    }\n    service {\n      name = "web"\n      port = "9090"\n      connect {\n        sidecar_service {\n          proxy {\n            transparent_proxy {}\n          }\n        }\n      }\n    }\n',
    ),
    without: task(
      '',
      '    network {\n      mode = "bridge"\n    }\n    service {\n      name = "web"\n      port = "9090"\n      connect {\n        sidecar_service {\n          proxy {}\n        }\n      }\n    }\n',
    ),
    since: '1.8.0',
    at: 'parse',
    nomad: /Blocks of type "transparent_proxy" are not expected here/,
  },
  // (fields of patch releases, and one that newer releases deprecate: the target wins)
  {
    what: 'group prevent_reschedule_on_lost',
    job: task('', '    prevent_reschedule_on_lost = true\n'),
    without: task(''),
    since: '1.7.2',
    at: 'parse',
    nomad: /An argument named "prevent_reschedule_on_lost" is not expected here/,
  },
  {
    what: 'check failures_before_warning',
    job: task(
      '',
      '    service {\n      name     = "web"\n      provider = "nomad"\n      check {\n        type                    = "tcp"\n        port                    = "8080"\n        interval                = "10s"\n        timeout                 = "2s"\n        failures_before_warning = 2\n      }\n    }\n',
    ),
    without: task(
      '',
      '    service {\n      name     = "web"\n      provider = "nomad"\n      check {\n        type     = "tcp"\n        port     = "8080"\n        interval = "10s"\n        timeout  = "2s"\n      }\n    }\n',
    ),
    since: '1.7.3',
    at: 'parse',
    nomad: /An argument named "failures_before_warning" is not expected here/,
  },
  {
    what: 'template once',
    job: task(
      '      template {\n        destination = "local/a"\n        data        = "x"\n        once        = true\n      }',
    ),
    without: task('      template {\n        destination = "local/a"\n        data        = "x"\n      }'),
    since: '1.10.2',
    at: 'parse',
    nomad: /An argument named "once" is not expected here/,
  },
  // what "fix all deprecations" would write for max_client_disconnect: not for 1.6.5 (the fix is not offered there)
  {
    what: 'group disconnect',
    job: task('', '    disconnect {\n      lost_after = "1h"\n    }\n'),
    without: task('', '    max_client_disconnect = "1h"\n'),
    since: '1.8.0',
    at: 'parse',
    nomad: /Blocks of type "disconnect" are not expected here/,
  },
  {
    what: 'vault without policies',
    job: task('      vault {\n        change_mode = "restart"\n      }'),
    without: task('      vault {\n        policies    = ["read"]\n        change_mode = "restart"\n      }'),
    since: '1.7.0',
    at: 'validate',
    nomad: /Policy list cannot be empty/,
  },
  {
    what: 'memory_max = -1',
    job: task('      resources {\n        memory     = 128\n        memory_max = -1\n      }'),
    without: task('      resources {\n        memory     = 128\n        memory_max = 256\n      }'),
    since: '1.7.3',
    at: 'validate',
    nomad: /MemoryMaxMB value \(-1\) should be larger than MemoryMB value \(128\)/,
  },
];
