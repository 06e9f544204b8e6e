import * as crypto from 'crypto';
import * as vscode from 'vscode';
import {
  resolveConnection,
  withScheme,
  parseGoBool,
  DEFAULT_CONSUL_ADDR,
  type ResolvedConnection,
} from '../nomad/config';
import {
  allowAddress,
  bindToken,
  decodeStoredToken,
  describeEndpoint,
  encodeStoredToken,
  endpointKey,
  environmentAddress,
  mayAutoSend,
  type TlsIdentity,
} from '../nomad/tokenBinding';
import { plain, plainText } from '../untrusted/shown';
import { inspectSetting } from '../config';
import type { SettingKey } from '../shared/settings';
import type { Logger } from '../logger';
import { DEFAULT_CLUSTER } from './clusters';

interface Endpoint {
  address: string;
  tls?: TlsIdentity;
}

const TOKEN_KEY = (cluster: string) => `nomad.token.${cluster}`;
/** Addresses the user allowed the environment's credentials (NOMAD_TOKEN, NOMAD_HTTP_AUTH) to go to. */
const ENV_TOKEN_KEY = 'nomad.envCredentialAddresses';
/** Addresses the user allowed the Consul token (CONSUL_HTTP_TOKEN or its file) to go to. */
const CONSUL_TOKEN_KEY = 'nomad.consulCredentialAddresses';
const SEND = 'Send Token';
const DONT_SEND = 'Connect Without Token';

/** The settings that say where a cluster (or its Consul) is and how it is verified: set by a workspace,
 *  the consent dialog says so. */
const NOMAD_ENDPOINT_KEYS: readonly SettingKey[] = [
  'nomad.address',
  'nomad.tls.caCert',
  'nomad.tls.caPath',
  'nomad.tls.clientCert',
  'nomad.tls.clientKey',
  'nomad.tls.serverName',
  'nomad.tls.skipVerify',
];
const CONSUL_ENDPOINT_KEYS: readonly SettingKey[] = [
  'nomad.consul.address',
  'nomad.consul.caCert',
  'nomad.consul.caPath',
  'nomad.consul.clientCert',
  'nomad.consul.clientKey',
  'nomad.consul.tlsServerName',
  'nomad.consul.skipVerify',
];

/**
 * Which credentials go where: the stored ACL tokens (SecretStorage only, each bound to the address and
 * TLS identity it was saved for), the environment's NOMAD_TOKEN/NOMAD_HTTP_AUTH and the Consul token.
 * Credentials go without asking only where they belong; anywhere else the user is asked first, in a
 * modal (a yes is remembered, a no for the session).
 */
export class Credentials {
  /** cluster|address|source triples for which the user said not to send the credentials (this session). */
  private readonly refused = new Set<string>();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: Logger,
  ) {}

  /**
   * The token and basic-auth credentials for this connection. A stored token goes only to an address
   * it was saved for (or that the user allowed); the environment's NOMAD_TOKEN/NOMAD_HTTP_AUTH only to
   * NOMAD_ADDR (or the CLI default). Any other address (a workspace's nomad.address, an edited
   * cluster) asks first, in a modal; "no" connects without them.
   */
  async forNomad(
    name: string,
    resolved: ResolvedConnection,
    env: NodeJS.ProcessEnv,
  ): Promise<{ token?: string; httpAuth?: string }> {
    const address = resolved.profile.address;
    // the token is bound to the address and to how the server is verified: a change of CA, client
    // certificate, server name or skip-verify asks first, as a change of address does
    const tls = resolved.profile.tls;
    const out: { token?: string; httpAuth?: string } = {};
    const stored = decodeStoredToken(await this.secrets.get(TOKEN_KEY(name)));
    if (stored) {
      if (mayAutoSend(stored, address, tls)) out.token = stored.token;
      else if (await this.allow(name, address, tls, stored.addresses, 'stored')) {
        out.token = stored.token;
        await this.secrets.store(TOKEN_KEY(name), encodeStoredToken(allowAddress(stored, address, tls)));
      }
    }
    const envSecrets =
      out.token === undefined && resolved.envToken !== undefined
        ? [resolved.envToken, resolved.httpAuth]
        : [resolved.httpAuth];
    if (envSecrets.some(x => x !== undefined)) {
      const home = environmentAddress(env);
      // the environment's credentials belong with the environment's TLS settings (NOMAD_CACERT …)
      const homeTls = resolveConnection({}, env).profile.tls;
      if (
        await this.environmentAllows(name, 'environment', envSecrets, { address: home, tls: homeTls }, { address, tls })
      ) {
        if (out.token === undefined && resolved.envToken !== undefined) out.token = resolved.envToken;
        if (resolved.httpAuth !== undefined) out.httpAuth = resolved.httpAuth;
      }
    }
    return out;
  }

  /** May the Consul token (CONSUL_HTTP_TOKEN or its file) go to this connection's Consul? It belongs
   *  with CONSUL_HTTP_ADDR (or Consul's default). */
  async forConsul(
    name: string,
    consulToken: string,
    resolved: ResolvedConnection,
    env: NodeJS.ProcessEnv,
  ): Promise<boolean> {
    const home = withScheme(
      env['CONSUL_HTTP_ADDR']?.trim() || DEFAULT_CONSUL_ADDR,
      parseGoBool(env['CONSUL_HTTP_SSL']?.trim()) ?? false,
    );
    const homeTls = resolveConnection({}, env).consul.tls;
    return this.environmentAllows(
      name,
      'consul',
      [consulToken],
      { address: home, tls: homeTls },
      { address: resolved.consul.address, tls: resolved.consul.tls },
    );
  }

  /** May credentials from the environment (meant for `home`) go to `address`? Asks when the addresses
   *  differ; a yes is remembered (in secret storage, by a fingerprint of the credentials). */
  private async environmentAllows(
    name: string,
    source: 'environment' | 'consul',
    secrets: (string | undefined)[],
    homeAt: Endpoint,
    at: Endpoint,
  ): Promise<boolean> {
    const { address, tls } = at;
    const target = endpointKey(address, tls);
    const homeKey = endpointKey(homeAt.address, homeAt.tls);
    if (target !== undefined && target === homeKey) return true;
    const key = source === 'consul' ? CONSUL_TOKEN_KEY : ENV_TOKEN_KEY;
    const fingerprint = crypto
      .createHash('sha256')
      .update(secrets.map(x => x ?? '').join('\u0000'))
      .digest('hex');
    const approved = decodeStoredToken(await this.secrets.get(key));
    const before = approved?.token === fingerprint ? approved.addresses : [];
    if (target !== undefined && before.includes(target)) return true;
    if (!(await this.allow(name, address, tls, homeKey ? [homeKey] : [], source))) return false;
    await this.secrets.store(
      key,
      encodeStoredToken(allowAddress({ token: fingerprint, addresses: before }, address, tls)),
    );
    return true;
  }

  /** Ask (modal) whether credentials saved for `boundTo` may go to `address`. Remembers a "no" for the session. */
  private async allow(
    name: string,
    address: string,
    tls: TlsIdentity | undefined,
    boundTo: string[],
    source: 'stored' | 'environment' | 'consul',
  ): Promise<boolean> {
    const target = endpointKey(address, tls) ?? address;
    const key = `${name}|${target}|${source}`;
    if (this.refused.has(key)) return false;
    const keys = source === 'consul' ? CONSUL_ENDPOINT_KEYS : NOMAD_ENDPOINT_KEYS;
    const fromWorkspace =
      (name === DEFAULT_CLUSTER || source === 'consul') &&
      keys.some(k => {
        const inspect = inspectSetting(k);
        return inspect?.workspaceValue !== undefined || inspect?.workspaceFolderValue !== undefined;
      });
    const shown = describeEndpoint(target);
    boundTo = boundTo.map(describeEndpoint);
    const what =
      source === 'stored'
        ? plain`The ACL token stored for the cluster "${name}"`
        : source === 'consul'
          ? 'The Consul token (CONSUL_HTTP_TOKEN or its token file)'
          : 'The credentials in the environment (NOMAD_TOKEN, NOMAD_HTTP_AUTH)';
    const verb = source === 'environment' ? 'were' : 'was';
    const was = boundTo.length
      ? ` ${verb} meant for ` + plain`${boundTo.join(', ')}.`
      : ` ${verb} not tied to an address yet (saved by an earlier version).`;
    const now =
      (source === 'consul' ? plain` The Consul server is now ${shown}` : plain` The cluster is now ${shown}`) +
      (fromWorkspace ? ", set by this workspace's settings (.vscode/settings.json)." : '.');
    const choice = await vscode.window.showWarningMessage(
      source === 'consul'
        ? plain`Send the Consul ACL token to ${address}?`
        : plain`Send the Nomad ACL token to ${address}?`,
      {
        modal: true,
        detail: plainText(
          what + was + now + ' Send it only to a server you trust: whoever runs it can act on your cluster with it.',
        ),
      },
      SEND,
      DONT_SEND,
    );
    this.log.info(
      `credentials for ${name} at ${plainText(address)}: ${choice === SEND ? 'sent (allowed by the user)' : 'not sent'}`,
    );
    if (choice === SEND) return true;
    this.refused.add(key);
    return false;
  }

  /** Stores (or with undefined, deletes) a cluster's token, bound to where it is saved for; the user's
   *  earlier "no"s for that cluster are forgotten. */
  async setToken(cluster: string, token: string | undefined, boundTo: ResolvedConnection): Promise<void> {
    // the token is tied to the address it is saved for (see forNomad)
    if (token)
      await this.secrets.store(
        TOKEN_KEY(cluster),
        encodeStoredToken(bindToken(token, boundTo.profile.address, boundTo.profile.tls)),
      );
    else await this.secrets.delete(TOKEN_KEY(cluster));
    for (const k of [...this.refused]) if (k.startsWith(`${cluster}|`)) this.refused.delete(k);
  }

  async hasToken(cluster: string): Promise<boolean> {
    return (await this.secrets.get(TOKEN_KEY(cluster))) !== undefined;
  }

  /** A renamed cluster keeps its token. */
  async moveToken(from: string, to: string): Promise<void> {
    const token = await this.secrets.get(TOKEN_KEY(from));
    if (token) {
      await this.secrets.store(TOKEN_KEY(to), token);
      await this.secrets.delete(TOKEN_KEY(from));
    }
  }

  async deleteToken(cluster: string): Promise<void> {
    await this.secrets.delete(TOKEN_KEY(cluster));
  }
}
