// Pure: turns an os.networkInterfaces()-shaped table into the ordered share URLs viewers can open.
import type { NetworkInterfaceInfo } from 'node:os';

export type InterfaceTable = Readonly<Record<string, readonly NetworkInterfaceInfo[] | undefined>>;

export interface ShareUrlOptions {
  readonly interfaces: InterfaceTable;
  readonly hostname: string;
  readonly port: number;
  /** Appended as ?key=; null in open mode. */
  readonly key: string | null;
  /** The bound address; a specific one is the only address worth sharing. */
  readonly host: string;
}

// Adapters that belong to containers, VMs and VPNs: other LAN devices cannot reach those addresses.
const VIRTUAL_ADAPTER =
  /^(docker|veth|br-|virbr|vbox|vboxnet|vmnet|utun|tun|tap|wg|zt|tailscale|lxc|lxdbr|cni|flannel|podman|vEthernet|VirtualBox|VMware|Hyper-V)/i;

export function isVirtualAdapter(name: string): boolean {
  return VIRTUAL_ADAPTER.test(name);
}

export function isPrivateIPv4(address: string): boolean {
  const [a, b] = address.split('.').map(Number);
  return (
    a === 10 || (a === 172 && b !== undefined && b >= 16 && b <= 31) || (a === 192 && b === 168)
  );
}

const isLinkLocalIPv4 = (address: string): boolean => address.startsWith('169.254.');
const isWildcard = (host: string): boolean => host === '0.0.0.0' || host === '::' || host === '';

function urlFor(hostPart: string, port: number, key: string | null): string {
  const query = key === null ? '' : `?key=${encodeURIComponent(key)}`;
  return `http://${hostPart}:${port}/${query}`;
}

/** `vm.example.org` → `vm.local`: mDNS advertises the first label of the host name. */
export function mdnsName(hostname: string): string | null {
  const label = hostname.split('.')[0]?.trim() ?? '';
  return /^[A-Za-z0-9-]+$/.test(label) ? `${label}.local` : null;
}

/**
 * Private IPv4 addresses of real adapters first, then their other IPv4 addresses, then
 * `http://<hostname>.local:<port>/`. Loopback, link-local and virtual adapters are left out; IPv6 too, since
 * its temporary addresses rotate and the .local name reaches the machine over either family.
 */
export function shareUrls(options: ShareUrlOptions): string[] {
  const { port, key, host } = options;
  if (!isWildcard(host)) return [urlFor(host.includes(':') ? `[${host}]` : host, port, key)];
  const privateAddresses: string[] = [];
  const otherAddresses: string[] = [];
  for (const [name, infos] of Object.entries(options.interfaces)) {
    if (!infos || isVirtualAdapter(name)) continue;
    for (const info of infos) {
      if (info.family !== 'IPv4' || info.internal || isLinkLocalIPv4(info.address)) continue;
      (isPrivateIPv4(info.address) ? privateAddresses : otherAddresses).push(info.address);
    }
  }
  const urls = [...new Set([...privateAddresses, ...otherAddresses])].map((address) =>
    urlFor(address, port, key),
  );
  const local = mdnsName(options.hostname);
  if (local) urls.push(urlFor(local, port, key));
  return urls;
}
